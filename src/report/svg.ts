// Inline SVG figures: bar charts and a path drawn as a chain of boxes. Colours are presentation attributes (no style
// attributes, which the report's CSP would refuse); every case string goes through the escaping html template.
import type { AttackPath } from '../api/contract.js';
import { EDGE_KINDS } from '../model/kinds.js';
import { html, join, type Html } from './html.js';

export interface Bar {
  label: string;
  value: number;
  color: string;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function barChart(bars: readonly Bar[], opts: { title: string; width?: number }): Html {
  const width = opts.width ?? 520;
  const labelW = 170;
  const rowH = 22;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * rowH + 8;
  const rows = bars.map((b, i) => {
    const y = 4 + i * rowH;
    const w = Math.max(b.value > 0 ? 2 : 0, Math.round(((width - labelW - 60) * b.value) / max));
    return html`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end" font-size="12" fill="#1c2430">${clip(b.label, 26)}</text><rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 8}" rx="2" fill="${b.color}"/><text x="${labelW + w + 6}" y="${y + 15}" font-size="12" fill="#1c2430">${b.value.toLocaleString('en-US')}</text>`;
  });
  return html`<svg class="chart" role="img" aria-label="${opts.title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${opts.title}</title>${join(rows)}</svg>`;
}

const CATEGORY_FILL: Record<string, string> = {
  identity: '#e7f0fb',
  credential: '#fdf0e6',
  resource: '#eef6ec',
  group: '#f1ecf8',
  boundary: '#f3f5f8',
  admin: '#fbe9ea',
  evidence: '#fff6d6',
};

/** A path as boxes stacked top to bottom, each arrow labelled with the edge's verb (and technique). */
export function pathDiagram(p: AttackPath, title: string): Html {
  const width = 720;
  const boxW = 380;
  const boxH = 40;
  const gap = 30;
  const x = (width - boxW) / 2;
  const nodes = [p.steps[0]!.from, ...p.steps.map((s) => s.to)];
  const height = nodes.length * boxH + (nodes.length - 1) * gap + 4;
  const parts: Html[] = [];
  nodes.forEach((n, i) => {
    const y = 2 + i * (boxH + gap);
    const admin = n.category === 'admin';
    parts.push(
      html`<g><title>${n.name} (${n.kind})</title><rect x="${x}" y="${y}" width="${boxW}" height="${boxH}" rx="6" fill="${CATEGORY_FILL[n.category] ?? '#ffffff'}" stroke="${admin ? '#a4161a' : '#8a94a3'}" stroke-width="${admin ? 2 : 1}"/><text x="${width / 2}" y="${y + 17}" text-anchor="middle" font-size="13" font-weight="600" fill="#1c2430">${clip(n.name, 48)}</text><text x="${width / 2}" y="${y + 32}" text-anchor="middle" font-size="11" fill="#5b6675">${n.kind}</text></g>`,
    );
    const step = p.steps[i];
    if (!step) return;
    const ay = y + boxH;
    const verb = `${EDGE_KINDS[step.edge.kind]?.verb ?? step.edge.kind}${step.edge.technique ? ` (${step.edge.technique})` : ''}${step.edge.conditional ? ' — conditional' : ''}`;
    parts.push(
      html`<line x1="${width / 2}" y1="${ay}" x2="${width / 2}" y2="${ay + gap - 6}" stroke="${step.edge.conditional ? '#d9480f' : '#1c2430'}" stroke-width="1.5" stroke-dasharray="${step.edge.conditional ? '4 3' : 'none'}"/><path d="M ${width / 2 - 5} ${ay + gap - 9} L ${width / 2} ${ay + gap - 1} L ${width / 2 + 5} ${ay + gap - 9} Z" fill="#1c2430"/><text x="${width / 2 + 10}" y="${ay + gap / 2 + 4}" font-size="11" fill="#1f5fbf">${clip(verb, 56)}</text>`,
    );
  });
  return html`<svg class="chart" role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${title}</title>${join(parts)}</svg>`;
}

export const SEVERITY_COLOR: Record<string, string> = { critical: '#a4161a', high: '#d9480f', medium: '#b08900', low: '#2f7d32', info: '#5b6675' };
export const ACCESS_COLOR: Record<string, string> = { 'Permissions management': '#a4161a', Write: '#d9480f', Tagging: '#b08900', Read: '#1f5fbf', List: '#5b6675', other: '#8a94a3' };
