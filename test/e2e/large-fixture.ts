// A large OpenGraph graph for the element budget: one hub reaching `n` service users, each holding one bucket.
export function bigStar(n: number): unknown {
  const nodes: unknown[] = [{ id: 'big-hub', kinds: ['Big_User'], properties: { name: 'big-hub-deployer' } }];
  const edges: unknown[] = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `big-svc-${i}`, kinds: ['Big_User'], properties: { name: `big-svc-${i}` } });
    nodes.push({ id: `big-bucket-${i}`, kinds: ['Big_Bucket'], properties: { name: `big-bucket-${i}` } });
    edges.push({ kind: 'CanAssume', start: { value: 'big-hub' }, end: { value: `big-svc-${i}` } });
    edges.push({ kind: 'CanRead', start: { value: `big-svc-${i}` }, end: { value: `big-bucket-${i}` } });
  }
  return { metadata: { source_kind: 'Big' }, graph: { nodes, edges } };
}
