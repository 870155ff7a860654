import type { NodeSummary } from '../contract';
import { kindLabel } from '../format';
import { providerColor } from '../graph/palette';

/** A node as inline text: a shape-coloured dot, its name, its kind. Names are rendered as text, never as HTML. */
export function NodeChip({ node, onClick, testId }: { node: Pick<NodeSummary, 'id' | 'name' | 'kind' | 'category' | 'provider'>; onClick?: () => void; testId?: string }) {
  const body = (
    <>
      <span className={`dot dot-${node.category}`} style={{ backgroundColor: node.category === 'admin' ? undefined : providerColor(node.provider) }} aria-hidden="true" />
      <span className="chip-name" title={node.id}>
        {node.name}
      </span>
      <span className="chip-kind">{kindLabel(node.kind)}</span>
    </>
  );
  return onClick ? (
    <button type="button" className="chip chip-link" onClick={onClick} data-testid={testId}>
      {body}
    </button>
  ) : (
    <span className="chip" data-testid={testId}>
      {body}
    </span>
  );
}
