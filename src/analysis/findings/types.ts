import type { Evidence } from '../../model/fragment.js';
import type { FindingForm } from '../../model/finding-forms.js';
import type { DeriveContext, RuleReads } from '../edges/types.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export interface FindingDraft {
  nodeId: string;
  title: string;
  summary: string;
  evidence: Evidence[];
  /** Overrides the rule's severity for this finding. */
  severity?: Severity;
  /** What title, summary and evidence were made from (model/finding-forms): the store keeps this instead of the text. */
  form?: FindingForm;
}

/** One posture rule per file: src/analysis/findings/<rule>.ts, listed in index.ts. */
export interface FindingRule {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  /** What it reads (see RuleReads; a boundary is that of the node a finding is about); without it the rule re-runs after every import. */
  reads?: RuleReads;
  run(ctx: Omit<DeriveContext, 'emitNode' | 'emitEdge'>): FindingDraft[];
}
