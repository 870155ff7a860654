import type { Core } from 'cytoscape';

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

export function exportPng(cy: Core, background: string): void {
  const blob = cy.png({ output: 'blob', full: true, scale: 2, bg: background, maxWidth: 8000, maxHeight: 8000 });
  download(blob, exportFileName('png'));
}

export function exportSvg(cy: Core, background: string): void {
  const svg = (cy as Core & { svg(opts: { full: boolean; scale: number; bg: string }): string }).svg({ full: true, scale: 1, bg: background });
  download(new Blob([svg], { type: 'image/svg+xml' }), exportFileName('svg'));
}
