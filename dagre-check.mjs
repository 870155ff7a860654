import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import fcose from 'cytoscape-fcose';
cytoscape.use(dagre); cytoscape.use(fcose);
for (const name of ['dagre', 'fcose']) {
  const cy = cytoscape({ headless: true, styleEnabled: true, elements: [
    { data: { id: 'g1' } }, { data: { id: 'g2' } },
    { data: { id: 'a', parent: 'g1' } }, { data: { id: 'b', parent: 'g1' } }, { data: { id: 'c', parent: 'g2' } }, { data: { id: 'd' } },
    { data: { id: 'e1', source: 'a', target: 'b' } }, { data: { id: 'e2', source: 'b', target: 'c' } }, { data: { id: 'e3', source: 'd', target: 'a' } },
  ]});
  try { cy.layout({ name, rankDir: 'LR', animate: false }).run(); console.log(name, 'ok', JSON.stringify(cy.nodes().map(n => [n.id(), Math.round(n.position().x), Math.round(n.position().y)]))); } catch (e) { console.log(name, 'ERR', e.message); }
}
