import type { ExportTableRequest } from '../contract';
import { useApp, useAppStore } from '../store';

type Format = ExportTableRequest['format'];
const LABEL: Record<Format, string> = { csv: 'CSV', json: 'JSON', markdown: 'Markdown' };

/**
 * Export buttons for a table the engine writes (the same rows the CLI's --format gives): one button per format,
 * each saving a download. Panels render it with the request that names their table.
 */
export function ExportButtons({ request, formats = ['csv', 'json'], testId, title }: { request: Omit<ExportTableRequest, 'format'>; formats?: Format[]; testId: string; title?: string }) {
  const store = useAppStore();
  const exporting = useApp((s) => s.exporting);
  return (
    <span className="export-buttons" data-testid={testId}>
      <span className="muted small">{title ?? 'Export'}</span>
      {formats.map((f) => (
        <button
          key={f}
          type="button"
          className="small-button"
          disabled={exporting !== null}
          data-testid={`${testId}-${f}`}
          title={`Save as ${LABEL[f]}`}
          onClick={() => void store.getState().exportTable({ ...request, format: f })}
        >
          {LABEL[f]}
        </button>
      ))}
    </span>
  );
}
