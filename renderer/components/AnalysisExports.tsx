// Export buttons of the blast radius and containment panels, kept in one small component each so the panels only
// render them: the engine writes the same tables as `blastmap blast-radius|containment --format …`.
import { useState } from 'react';
import type { ExportTableRequest } from '../contract';
import { useApp } from '../store';
import { ExportButtons } from './ExportButtons';

type BlastList = NonNullable<ExportTableRequest['list']>;
const LISTS: { value: BlastList; label: string }[] = [
  { value: 'all', label: 'every list' },
  { value: 'admins', label: 'admin' },
  { value: 'identities', label: 'identities' },
  { value: 'credentials', label: 'credentials' },
  { value: 'resources', label: 'resources' },
  { value: 'boundaries', label: 'per boundary' },
];

/** CSV or JSON of a blast radius: every reached node, one list, or the per-boundary counts. */
export function BlastExports({ origin }: { origin: string }) {
  const hideConditional = useApp((s) => s.filters.hideConditional);
  const [list, setList] = useState<BlastList>('all');
  return (
    <div className="panel-exports" data-testid="blast-exports">
      <select aria-label="List to export" data-testid="blast-export-list" value={list} onChange={(e) => setList(e.target.value as BlastList)}>
        {LISTS.map((l) => (
          <option key={l.value} value={l.value}>
            {l.label}
          </option>
        ))}
      </select>
      <ExportButtons request={{ table: 'blast-radius', from: origin, list, ...(hideConditional ? { includeConditional: false } : {}) }} testId="blast-export" />
    </div>
  );
}

/** The containment plan as a Markdown checklist (the cuts already done ticked) or a CSV of its cuts. */
export function ContainmentExports({ origin, done = [], targets }: { origin: string; done?: number[]; targets?: string[] }) {
  const hideConditional = useApp((s) => s.filters.hideConditional);
  return (
    <div className="panel-exports" data-testid="containment-exports">
      <ExportButtons
        request={{ table: 'containment', from: origin, ...(done.length ? { done } : {}), ...(targets?.length ? { targets } : {}), ...(hideConditional ? { includeConditional: false } : {}) }}
        formats={['markdown', 'csv']}
        testId="containment-export"
        title="Export plan"
      />
    </div>
  );
}
