// Exports of the view: an SVG drawn from Cytoscape's own geometry (every style kept: marks' rings, dashed and
// dotted edges, the path), with a title (case, what the view is, when) and a legend of what is drawn; the PNG is
// that SVG rasterised, so both say the same.
import type { Core, EdgeSingular, NodeSingular, SingularElementArgument } from 'cytoscape';
import type { AppState } from '../store';
import { declutter, labelBox, labelState, pstyle, textWidth, type StyleValue } from './labels';
import { legendEntries, POLY, type LegendEntry } from './legend-entries';
import { THEME_COLORS } from './palette';

/** A download through a blob URL (allowed by the CSP; no data leaves the machine). */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function exportFileName(ext: 'png' | 'svg', now: Date = new Date()): string {
  return `blastmap-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${ext}`;
}

/** What the view is, for its title: "Blast radius of ci-deployer access key 1". */
export function viewTitle(s: Pick<AppState, 'mode' | 'blast' | 'pathFrom' | 'pathTarget' | 'estateShown'>): string {
  if (s.mode === 'blast' && s.blast) return `Blast radius of ${s.blast.origin.name}`;
  if (s.mode === 'paths' && s.pathFrom) {
    const t = s.pathTarget;
    const to = t === 'crown' ? 'admin or high value' : t === 'admin' ? 'any admin' : t === 'high-value' ? 'high-value nodes' : t.name;
    return `Attack paths from ${s.pathFrom.name} to ${to}`;
  }
  if (s.estateShown) return 'Estate overview';
  return s.mode === 'explore' ? 'Explore' : s.mode.charAt(0).toUpperCase() + s.mode.slice(1);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (n: number) => (Math.round(n * 10) / 10).toString();
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';

const st = (e: SingularElementArgument, name: string): StyleValue => pstyle(e, name);
const color = (e: SingularElementArgument, name: string) => st(e, name).strValue ?? 'none';
const px = (e: SingularElementArgument, name: string) => Number(st(e, name).pfValue ?? 0);

function shapeSvg(shape: string, x: number, y: number, w: number, h: number, attrs: string): string {
  if (shape === 'ellipse') return `<ellipse cx="${num(x)}" cy="${num(y)}" rx="${num(w / 2)}" ry="${num(h / 2)}" ${attrs}/>`;
  if (shape === 'round-rectangle' || shape === 'rectangle') return `<rect x="${num(x - w / 2)}" y="${num(y - h / 2)}" width="${num(w)}" height="${num(h)}" rx="${shape === 'rectangle' ? 0 : num(Math.min(8, w / 4, h / 4))}" ${attrs}/>`;
  const pts = POLY[shape] ?? POLY['octagon']!;
  const coords: string[] = [];
  for (let i = 0; i < pts.length; i += 2) coords.push(`${num(x + (pts[i]! * w) / 2)},${num(y + (pts[i + 1]! * h) / 2)}`);
  return `<polygon points="${coords.join(' ')}" ${attrs}/>`;
}

function borderAttrs(n: SingularElementArgument, width: number): string {
  const style = String(st(n, 'border-style').value ?? 'solid');
  const dash = style === 'dashed' ? ' stroke-dasharray="5 3"' : style === 'dotted' ? ' stroke-dasharray="1.5 2.5"' : '';
  return `stroke="${color(n, 'border-color')}" stroke-width="${num(width)}"${dash}`;
}

function nodeSvg(n: NodeSingular): string {
  const p = n.position();
  const w = n.width();
  const h = n.height();
  const shape = String(st(n, 'shape').value ?? 'ellipse');
  const fill = color(n, 'background-color');
  const fillOpacity = Number(st(n, 'background-opacity').value ?? 1);
  const bw = px(n, 'border-width');
  const opacity = Number(st(n, 'opacity').value ?? 1);
  const style = String(st(n, 'border-style').value ?? 'solid');
  const parts: string[] = [];
  if (style === 'double' && bw >= 3) {
    // Two rings, as Cytoscape draws a double border: the outer and inner thirds of the border.
    parts.push(shapeSvg(shape, p.x, p.y, w, h, `fill="${fill}" fill-opacity="${fillOpacity}" stroke="none"`));
    parts.push(shapeSvg(shape, p.x, p.y, w + bw - bw / 3, h + bw - bw / 3, `fill="none" stroke="${color(n, 'border-color')}" stroke-width="${num(bw / 3)}"`));
    parts.push(shapeSvg(shape, p.x, p.y, w - bw + bw / 3, h - bw + bw / 3, `fill="none" stroke="${color(n, 'border-color')}" stroke-width="${num(bw / 3)}"`));
  } else parts.push(shapeSvg(shape, p.x, p.y, w, h, `fill="${fill}" fill-opacity="${fillOpacity}" ${bw > 0 ? borderAttrs(n, bw) : 'stroke="none"'}`));
  return `<g class="node" data-id="${esc(n.id())}" opacity="${opacity}">${parts.join('')}</g>`;
}

function groupSvg(g: NodeSingular): string {
  const bb = g.boundingBox({ includeLabels: false, includeOverlays: false } as never);
  const opacity = Number(st(g, 'opacity').value ?? 1);
  return `<rect class="box" x="${num(bb.x1)}" y="${num(bb.y1)}" width="${num(bb.w)}" height="${num(bb.h)}" rx="8" fill="${color(g, 'background-color')}" fill-opacity="${Number(st(g, 'background-opacity').value ?? 1)}" ${borderAttrs(g, px(g, 'border-width'))} opacity="${opacity}"/>`;
}

function edgeSvg(e: EdgeSingular): string {
  const s = e.sourceEndpoint();
  const t = e.targetEndpoint();
  const ctrl = (e.controlPoints() ?? []) as { x: number; y: number }[];
  let d = `M${num(s.x)},${num(s.y)}`;
  if (ctrl.length === 0) d += ` L${num(t.x)},${num(t.y)}`;
  else {
    for (let i = 0; i < ctrl.length - 1; i++) {
      const mid = { x: (ctrl[i]!.x + ctrl[i + 1]!.x) / 2, y: (ctrl[i]!.y + ctrl[i + 1]!.y) / 2 };
      d += ` Q${num(ctrl[i]!.x)},${num(ctrl[i]!.y)} ${num(mid.x)},${num(mid.y)}`;
    }
    const last = ctrl[ctrl.length - 1]!;
    d += ` Q${num(last.x)},${num(last.y)} ${num(t.x)},${num(t.y)}`;
  }
  const stroke = color(e, 'line-color');
  const width = px(e, 'width');
  const style = String(st(e, 'line-style').value ?? 'solid');
  const pattern = (st(e, 'line-dash-pattern').value as number[] | undefined) ?? [6, 4];
  const dash = style === 'dashed' || style === 'dotted' ? ` stroke-dasharray="${pattern.map(num).join(' ')}"${style === 'dotted' ? ' stroke-linecap="round"' : ''}` : '';
  const opacity = Number(st(e, 'opacity').value ?? 1);
  const from = ctrl.length ? ctrl[ctrl.length - 1]! : s;
  const arrow = String(st(e, 'target-arrow-shape').value ?? 'none') !== 'none' ? arrowSvg(from, t, Math.max(7, width * 3.2) * Number(st(e, 'arrow-scale').value ?? 1), color(e, 'target-arrow-color')) : '';
  let tee = '';
  if (String(st(e, 'mid-target-arrow-shape').value ?? 'none') === 'tee') {
    const m = e.midpoint();
    const a = Math.atan2(t.y - s.y, t.x - s.x) + Math.PI / 2;
    const l = 9;
    tee = `<line x1="${num(m.x - l * Math.cos(a))}" y1="${num(m.y - l * Math.sin(a))}" x2="${num(m.x + l * Math.cos(a))}" y2="${num(m.y + l * Math.sin(a))}" stroke="${color(e, 'mid-target-arrow-color')}" stroke-width="3"/>`;
  }
  return `<g class="edge" data-id="${esc(e.id())}" opacity="${opacity}"><path d="${d}" fill="none" stroke="${stroke}" stroke-width="${num(width)}"${dash}/>${arrow}${tee}</g>`;
}

function arrowSvg(from: { x: number; y: number }, to: { x: number; y: number }, size: number, fill: string): string {
  const a = Math.atan2(to.y - from.y, to.x - from.x);
  const back = { x: to.x - size * Math.cos(a), y: to.y - size * Math.sin(a) };
  const half = size * 0.5;
  const l = { x: back.x + half * Math.cos(a + Math.PI / 2), y: back.y + half * Math.sin(a + Math.PI / 2) };
  const r = { x: back.x - half * Math.cos(a + Math.PI / 2), y: back.y - half * Math.sin(a + Math.PI / 2) };
  return `<polygon points="${num(to.x)},${num(to.y)} ${num(l.x)},${num(l.y)} ${num(r.x)},${num(r.y)}" fill="${fill}"/>`;
}

/** Cuts `text` with an ellipsis to fit `max` pixels at `font`. */
function fit(text: string, max: number, font: number, bold: boolean): string {
  if (textWidth(text, font, bold) <= max + 1) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(`${text.slice(0, mid)}…`, font, bold) <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

/** Words wrapped into lines no wider than `max`. */
function wrap(text: string, max: number, font: number, bold: boolean): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (line && textWidth(next, font, bold) > max) {
        out.push(line);
        line = word;
      } else line = next;
    }
    out.push(line);
  }
  return out;
}

function labelSvg(ele: SingularElementArgument, bg: string): string {
  const text = String(ele.data('label') ?? '');
  if (!text) return '';
  const box = labelBox(ele);
  const font = px(ele, 'font-size');
  const bold = String(st(ele, 'font-weight').value ?? 'normal') === 'bold';
  const maxW = box.x2 - box.x1;
  const wrapMode = String(st(ele, 'text-wrap').value ?? 'none');
  const lines = wrapMode === 'wrap' ? wrap(text, Math.max(maxW, font * 4), font, bold) : [fit(text.replace(/\n/g, ' '), maxW, font, bold)];
  const lh = font * 1.25;
  const cx = (box.x1 + box.x2) / 2;
  const cy = (box.y1 + box.y2) / 2 - ((lines.length - 1) * lh) / 2;
  const fill = color(ele, 'color');
  const outline = px(ele, 'text-outline-width');
  const halo = outline > 0 ? ` stroke="${color(ele, 'text-outline-color')}" stroke-width="${num(outline * 2)}" paint-order="stroke" stroke-linejoin="round"` : '';
  const bgOpacity = Number(st(ele, 'text-background-opacity').value ?? 0);
  const back = bgOpacity > 0 ? `<rect x="${num(box.x1)}" y="${num(box.y1)}" width="${num(maxW)}" height="${num(box.y2 - box.y1)}" rx="3" fill="${bg}" fill-opacity="${bgOpacity}"/>` : '';
  const opacity = Number(st(ele, 'opacity').value ?? 1);
  const tspans = lines.map((l, i) => `<tspan x="${num(cx)}" y="${num(cy + i * lh)}">${esc(l)}</tspan>`).join('');
  return `<g class="label" opacity="${opacity}">${back}<text font-family="${FONT}" font-size="${num(font)}" font-weight="${bold ? 'bold' : 'normal'}" text-anchor="middle" dominant-baseline="central" fill="${fill}"${halo}>${tspans}</text></g>`;
}

function legendSvg(entries: LegendEntry[], x: number, y: number, width: number, text: string): { svg: string; height: number } {
  const parts: string[] = [`<text x="${x}" y="${y + 12}" font-family="${FONT}" font-size="12" font-weight="bold" fill="${text}">Legend</text>`];
  let cx = x;
  let cy = y + 26;
  const rowH = 20;
  for (const e of entries) {
    const w = 30 + textWidth(e.label, 11) + 18;
    if (cx + w > x + width && cx > x) {
      cx = x;
      cy += rowH;
    }
    parts.push(`<g class="legend-item">${e.symbol(cx + 10, cy + 7)}<text x="${num(cx + 26)}" y="${num(cy + 7)}" font-family="${FONT}" font-size="11" dominant-baseline="central" fill="${text}">${esc(e.label)}</text></g>`);
    cx += w;
  }
  return { svg: parts.join(''), height: cy + rowH - y };
}

/** The view as a standalone SVG document with its title and legend. */
export function viewSvg(cy: Core, s: AppState, now: Date = new Date()): { svg: string; width: number; height: number } {
  const colors = THEME_COLORS[s.theme];
  // Labels at their model size, decluttered for a drawing seen at 100 %.
  const state = labelState(cy);
  const saved = state.scale;
  state.scale = 1;
  cy.style().update();
  declutter(cy, 1);
  try {
    const bb = cy.elements().boundingBox({ includeLabels: true });
    const margin = 24;
    const width = Math.max(640, bb.w + 2 * margin);
    const caseName = s.caseInfo?.path.split(/[\\/]/).pop() ?? 'case';
    const title = viewTitle(s);
    const sub = `${caseName} · ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cy.nodes().not('.group').length.toLocaleString('en-US')} nodes, ${cy.edges().length.toLocaleString('en-US')} edges drawn`;
    const header = 58;
    const legend = legendSvg(legendEntries(cy, s.theme), margin, 0, width - 2 * margin, colors.text);
    const height = header + bb.h + 2 * margin + legend.height + margin;
    const ox = margin - bb.x1 + (width - 2 * margin - bb.w) / 2;
    const oy = header + margin - bb.y1;
    const groups = cy.nodes('.group').filter((g) => g.isParent());
    const cards = cy.nodes('.group').filter((g) => !g.isParent());
    const body = [
      ...groups.map(groupSvg),
      ...cy.edges().filter((e) => !e.hasClass('trust')).map(edgeSvg),
      ...cards.map(nodeSvg),
      ...cy.nodes().not('.group').map(nodeSvg),
      // Trust between boxes is drawn over every box, as on the canvas (z-compound-depth: top).
      ...cy.edges('.trust').map(edgeSvg),
      ...cy
        .elements()
        .filter((e) => !e.hasClass('label-hidden') && Boolean((st(e, 'label').strValue ?? '') !== ''))
        .map((e) => labelSvg(e, colors.background)),
    ].join('\n');
    const svg = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}">`,
      `<rect width="100%" height="100%" fill="${colors.background}"/>`,
      `<text x="${margin}" y="26" font-family="${FONT}" font-size="18" font-weight="bold" fill="${colors.text}">${esc(title)}</text>`,
      `<text x="${margin}" y="46" font-family="${FONT}" font-size="12" fill="${colors.text}" opacity="0.75">${esc(sub)}</text>`,
      `<g transform="translate(${num(ox)},${num(oy)})">`,
      body,
      `</g>`,
      `<g transform="translate(0,${num(header + bb.h + 2 * margin)})">${legend.svg}</g>`,
      `</svg>`,
    ].join('\n');
    return { svg, width, height };
  } finally {
    state.scale = saved;
    cy.style().update();
    declutter(cy, cy.zoom(), cy.extent());
  }
}

/** Downloads the view as SVG, or as a PNG rasterised from the same SVG (twice the size, at most 8000 px a side). */
export async function exportView(cy: Core, format: 'png' | 'svg', s: AppState): Promise<void> {
  const { svg, width, height } = viewSvg(cy, s);
  const blob = new Blob([svg], { type: 'image/svg+xml' });
  if (format === 'svg') {
    download(blob, exportFileName('svg'));
    return;
  }
  const scale = Math.min(2, 8000 / width, 8000 / height);
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the view could not be drawn as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    const png = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!png) throw new Error('the PNG could not be encoded');
    download(png, exportFileName('png'));
  } catch (err) {
    s.notify({ kind: 'error', text: `Export failed: ${err instanceof Error ? err.message : String(err)}` });
  } finally {
    URL.revokeObjectURL(url);
  }
}

