import { describe, expect, it } from 'vitest';
import { deriveContext } from '../../src/analysis/derive.js';
import type { EdgeProps } from '../../src/model/fragment.js';
import { scenario } from './scenario.js';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('derive context: emitted props', () => {
  it('a props object a rule shares between edges is never changed when one of them gains a second statement', () => {
    const s = scenario(
      [
        { id: 'gcp:member:user:a@x.test', kind: 'gcp_user' },
        { id: 'gcp:resource:b1', kind: 'gcp_resource' },
        { id: 'gcp:resource:b2', kind: 'gcp_resource' },
      ],
      [],
    );
    const { ctx } = deriveContext(s.store, NOW);
    const first = { type: 'iam-binding', summary: 'on the project', location: 'a' };
    const second = { type: 'iam-binding', summary: 'on the bucket', location: 'b' };
    // One grant reaching two buckets: one props object for both edges (as gcp-iam-bindings emits them).
    const shared: EdgeProps = { reason: 'r', technique: 'roles/storage.objectViewer', evidence: [first], conditional: 'when x' };
    ctx.emitEdge({ from: 'gcp:member:user:a@x.test', to: 'gcp:resource:b1', kind: 'CAN_ACCESS', props: shared });
    ctx.emitEdge({ from: 'gcp:member:user:a@x.test', to: 'gcp:resource:b2', kind: 'CAN_ACCESS', props: shared });
    // A second, unconditional statement of the first edge: its evidence adds up and its condition goes.
    ctx.emitEdge({ from: 'gcp:member:user:a@x.test', to: 'gcp:resource:b1', kind: 'CAN_ACCESS', props: { reason: 'r2', technique: 'roles/storage.objectViewer', evidence: [second] } });

    const edges = [...ctx.edgesOfKind('CAN_ACCESS')];
    const b1 = edges.find((e) => e.dst === 'gcp:resource:b1')!;
    const b2 = edges.find((e) => e.dst === 'gcp:resource:b2')!;
    expect(b1.props).toEqual({ reason: 'r', technique: 'roles/storage.objectViewer', evidence: [first, second] });
    expect(b1.conditional).toBe(false);
    expect(b2.props).toEqual({ reason: 'r', technique: 'roles/storage.objectViewer', evidence: [first], conditional: 'when x' });
    expect(b2.conditional).toBe(true);
    expect(shared).toEqual({ reason: 'r', technique: 'roles/storage.objectViewer', evidence: [first], conditional: 'when x' });
    s.store.close();
  });
});
