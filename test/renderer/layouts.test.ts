import { describe, expect, it } from 'vitest';
import { boxedGrid, clearShift, fitClearOf, fitScale, flowRanks, gridOf, laneLayout, linesOverBoxes, packBoxes, segmentMeetsRect, withSeed, type BoxedNode, type Box, type Footprint, type LaneNode } from '../../renderer/graph/layouts';
import { hubArrangement, hubsOf } from '../../renderer/graph/hub-boxes';
import { overlaps, placeNew, separate, type Rect } from '../../renderer/graph/placement';

// Where a fitted drawing lands on the canvas: its rendered box, to compare with the legend's corner.
function rendered(bb: Box, v: { zoom: number; pan: { x: number; y: number } }) {
  return { left: v.pan.x + v.zoom * bb.x1, top: v.pan.y + v.zoom * bb.y1, right: v.pan.x + v.zoom * (bb.x1 + bb.w), bottom: v.pan.y + v.zoom * (bb.y1 + bb.h) };
}

describe('fitClearOf (fit the graph where the legend does not cover it)', () => {
  const canvas = { width: 1000, height: 800 };
  const legend = { width: 300, height: 200 };

  it('without an overlay, centres the drawing as large as the padding allows', () => {
    const bb = { x1: -50, y1: 20, w: 100, h: 100 };
    const v = fitClearOf(bb, canvas.width, canvas.height, { width: 0, height: 0 }, 30, 10);
    expect(v.zoom).toBeCloseTo(7.4);
    const r = rendered(bb, v);
    expect((r.left + r.right) / 2).toBeCloseTo(500);
    expect((r.top + r.bottom) / 2).toBeCloseTo(400);
  });

  it('puts a wide drawing above the legend', () => {
    const bb = { x1: 0, y1: 0, w: 1000, h: 100 };
    const r = rendered(bb, fitClearOf(bb, canvas.width, canvas.height, legend, 30, 10));
    expect(r.bottom).toBeLessThanOrEqual(canvas.height - legend.height);
    expect(r.left).toBeGreaterThanOrEqual(0);
    expect(r.right).toBeLessThanOrEqual(canvas.width);
  });

  it('puts a tall drawing to the right of the legend', () => {
    const bb = { x1: 10, y1: -500, w: 100, h: 1000 };
    const r = rendered(bb, fitClearOf(bb, canvas.width, canvas.height, legend, 30, 10));
    expect(r.left).toBeGreaterThanOrEqual(legend.width);
    expect(r.top).toBeGreaterThanOrEqual(0);
    expect(r.bottom).toBeLessThanOrEqual(canvas.height);
  });

  it('never zooms past the cap, and survives an empty box or a canvas smaller than the legend', () => {
    expect(fitClearOf({ x1: 0, y1: 0, w: 10, h: 10 }, 1000, 800, legend, 30, 1.4).zoom).toBe(1.4);
    expect(Number.isFinite(fitClearOf({ x1: 5, y1: 5, w: 0, h: 0 }, 1000, 800, legend, 30, 1.4).zoom)).toBe(true);
    const tiny = fitClearOf({ x1: 0, y1: 0, w: 100, h: 100 }, 200, 150, legend, 30, 4);
    expect(tiny.zoom).toBeGreaterThan(0);
  });
});

/** Edges written "a>b". */
const arrows = (...pairs: string[]) =>
  pairs.map((p) => {
    const [source = '', target = ''] = p.split('>');
    return { source, target };
  });

const rectAt = (f: Footprint, p: { x: number; y: number }): Rect => ({ x1: p.x - f.ax, y1: p.y - f.h / 2, x2: p.x - f.ax + f.w, y2: p.y + f.h / 2 });
const fp = (id: string, w = 120, h = 28): Footprint => ({ id, w, h, ax: 13 });

function noOverlap(rects: Rect[]): boolean {
  for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) if (overlaps(rects[i]!, rects[j]!)) return false;
  return true;
}

describe('clearShift (a readable start cut by nothing, clear of the legend)', () => {
  // Rows of 20 px labels every 30 px, in bands 120 px apart; two columns, the second 300 px wide.
  const rows = (x1: number, x2: number) => [0, 1, 2, 3, 4, 5].flatMap((band) => [0, 1, 2].map((r) => ({ x1, x2, y1: 20 + band * 210 + r * 30, y2: 40 + band * 210 + r * 30 })));
  const boxes = [...rows(40, 240), ...rows(300, 600)];
  const cut = (bs: typeof boxes, d: { x: number; y: number }, w: number, h: number) =>
    bs.some((b) => b.x2 + d.x > 0 && b.x1 + d.x < w && b.y2 + d.y > 0 && b.y1 + d.y < h && (b.x1 + d.x < 0 || b.x2 + d.x > w || b.y1 + d.y < 0 || b.y2 + d.y > h));

  it('leaves a view that cuts nothing as it is', () => {
    expect(clearShift(boxes, 700, 200, null, { x: 50, y: 30 }, { x: 350, y: 100 })).toEqual({ x: 0, y: 0 });
  });

  it('moves the cut row and column off the stage, the nearest way', () => {
    // 500 wide cuts the second column; 350 high cuts a row of the second band.
    const d = clearShift(boxes, 500, 350, null, { x: 50, y: 30 }, { x: 250, y: 175 })!;
    expect(d).not.toBeNull();
    expect(cut(boxes, d, 500, 350)).toBe(false);
    expect(cut(boxes, { x: 0, y: 0 }, 500, 350)).toBe(true);
  });

  it('keeps clear of the legend, or says it cannot', () => {
    const legend = { x1: 10, y1: 300, x2: 90, y2: 330 };
    const d = clearShift(boxes, 700, 340, legend, { x: 50, y: 30 }, { x: 350, y: 170 })!;
    const meets = (b: (typeof boxes)[number]) => b.x1 + d.x < legend.x2 && b.x2 + d.x > legend.x1 && b.y1 + d.y < legend.y2 && b.y2 + d.y > legend.y1;
    expect(boxes.filter(meets)).toEqual([]);
    expect(cut(boxes, d, 700, 340)).toBe(false);
    // A legend as tall as the stage's bottom half: no shift within reach leaves it clear with the origin on the stage.
    expect(clearShift(boxes, 700, 340, { x1: 10, y1: 100, x2: 690, y2: 330 }, { x: 50, y: 30 }, { x: 350, y: 170 })).toBeNull();
  });
});

describe('flowRanks (ranks of a path view)', () => {
  it('ranks a chain by position and breaks a cycle instead of hanging', () => {
    const r = flowRanks(['a', 'b', 'c'], arrows('a>b', 'b>c', 'c>a'));
    expect([r.get('a'), r.get('b'), r.get('c')]).toEqual([0, 1, 2]);
  });
});

describe('laneLayout (the path view)', () => {
  const nodes: LaneNode[] = [
    { ...fp('key'), lane: 'dev' },
    { ...fp('user'), lane: 'dev' },
    { ...fp('deploy'), lane: 'prod' },
    { ...fp('ops'), lane: 'prod' },
    { ...fp('admin', 200, 40), lane: 'prod' },
    { ...fp('other'), lane: 'dev' },
  ];
  const edges = arrows('key>user', 'user>deploy', 'deploy>ops', 'ops>admin', 'user>other', 'other>admin');
  const pos = laneLayout(nodes, edges);

  it('reads top-down: each step one rank lower', () => {
    expect(pos.get('key')!.y).toBeLessThan(pos.get('user')!.y);
    expect(pos.get('user')!.y).toBeLessThan(pos.get('deploy')!.y);
    expect(pos.get('ops')!.y).toBeLessThan(pos.get('admin')!.y);
  });

  it('gives each boundary a column of its own, so boxes never overlap, and no two footprints touch', () => {
    const span = (lane: string) => {
      const xs = nodes.filter((n) => n.lane === lane).map((n) => rectAt(n, pos.get(n.id)!));
      return { x1: Math.min(...xs.map((r) => r.x1)), x2: Math.max(...xs.map((r) => r.x2)) };
    };
    expect(span('dev').x2).toBeLessThan(span('prod').x1);
    expect(noOverlap(nodes.map((n) => rectAt(n, pos.get(n.id)!)))).toBe(true);
  });

  it('is deterministic', () => {
    expect([...laneLayout([...nodes].reverse(), [...edges].reverse())].sort()).toEqual([...pos].sort());
  });
});

describe('grids and boxes (opened groups, big drawings, the estate map)', () => {
  it('lays 400 labelled nodes out in a grid about as wide as the stage is, without overlap', () => {
    const cells = Array.from({ length: 400 }, (_, i) => fp(`n${i}`, 100 + (i % 7) * 10, 24));
    const g = gridOf(cells, 1.2);
    expect(g.width / g.height).toBeGreaterThan(0.8);
    expect(g.width / g.height).toBeLessThan(1.8);
    expect(noOverlap(cells.map((c) => rectAt(c, g.positions.get(c.id)!)))).toBe(true);
  });

  it('packs boxes without overlap, squarer than one long column', () => {
    const boxes = [
      { id: 'a', w: 400, h: 200 },
      { id: 'b', w: 420, h: 150 },
      { id: 'c', w: 350, h: 150 },
      { id: 'd', w: 230, h: 90 },
    ];
    const at = packBoxes(boxes, 1.1);
    const rects = boxes.map((b) => ({ x1: at.get(b.id)!.x, y1: at.get(b.id)!.y, x2: at.get(b.id)!.x + b.w, y2: at.get(b.id)!.y + b.h }));
    expect(noOverlap(rects)).toBe(true);
    expect(new Set(boxes.map((b) => at.get(b.id)!.x)).size).toBeGreaterThan(1);
  });

  // The demo's estate map: three boundaries and the card of what is outside any, on a stage a little taller than wide.
  const estate = [
    { id: 'acct-111', w: 350, h: 140 },
    { id: 'cluster', w: 370, h: 110 },
    { id: 'acct-222', w: 290, h: 150 },
    { id: 'outside', w: 160, h: 40 },
  ];
  const trust: [string, string][] = [
    ['outside', 'acct-111'],
    ['outside', 'acct-222'],
    ['acct-111', 'acct-222'],
    ['cluster', 'acct-111'],
  ];
  const crossingsIn = (at: Map<string, { x: number; y: number }>, links: [string, string][]) => {
    const rect = (id: string) => {
      const b = estate.find((e) => e.id === id)!;
      const p = at.get(id)!;
      return { x1: p.x, y1: p.y, x2: p.x + b.w, y2: p.y + b.h };
    };
    const centre = (id: string) => {
      const r = rect(id);
      return { x: (r.x1 + r.x2) / 2, y: (r.y1 + r.y2) / 2 };
    };
    return links.flatMap(([a, b]) => estate.filter((e) => e.id !== a && e.id !== b && segmentMeetsRect(centre(a), centre(b), rect(e.id))).map((e) => `${a}→${b} over ${e.id}`));
  };

  it('packs linked boxes so that no line between two of them runs over a third', () => {
    // Without the links the boxes go in one column, and the lines between its ends cross the boxes between them.
    expect(crossingsIn(packBoxes(estate, 0.9, 70), trust).length).toBeGreaterThan(0);
    const at = packBoxes(estate, 0.9, 70, trust);
    expect(crossingsIn(at, trust)).toEqual([]);
    expect(noOverlap(estate.map((b) => ({ x1: at.get(b.id)!.x, y1: at.get(b.id)!.y, x2: at.get(b.id)!.x + b.w, y2: at.get(b.id)!.y + b.h })))).toBe(true);
    // The same boxes and links give the same picture, whatever order they come in.
    expect([...packBoxes([...estate].reverse(), 0.9, 70, [...trust].reverse())].sort()).toEqual([...at].sort());
  });

  it('keeps many linked boxes apart and reduces crossings by reordering them', () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ id: `b${i}`, w: 200 + (i % 3) * 40, h: 80 + (i % 2) * 30 }));
    const chain: [string, string][] = many.slice(1).map((b, i) => [many[i]!.id, b.id]);
    chain.push(['b0', 'b8'], ['b2', 'b6']);
    const at = packBoxes(many, 1.4, 60, chain);
    const rects = many.map((b) => ({ x1: at.get(b.id)!.x, y1: at.get(b.id)!.y, x2: at.get(b.id)!.x + b.w, y2: at.get(b.id)!.y + b.h }));
    expect(noOverlap(rects)).toBe(true);
    const count = (pos: Map<string, { x: number; y: number }>) =>
      chain.reduce((n, [a, b]) => {
        const c = (id: string) => {
          const box = many.find((m) => m.id === id)!;
          return { x: pos.get(id)!.x + box.w / 2, y: pos.get(id)!.y + box.h / 2 };
        };
        return n + many.filter((m) => m.id !== a && m.id !== b && segmentMeetsRect(c(a), c(b), { x1: pos.get(m.id)!.x, y1: pos.get(m.id)!.y, x2: pos.get(m.id)!.x + m.w, y2: pos.get(m.id)!.y + m.h })).length;
      }, 0);
    expect(count(at)).toBeLessThanOrEqual(count(packBoxes(many, 1.4, 60)));
  });

  it('packs a map of a thousand linked boxes by size alone, without overlap', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ id: `p${i}`, w: 180 + (i % 7) * 20, h: 60 + (i % 3) * 20 }));
    const links: [string, string][] = many.map((b, i) => [b.id, many[(i * 37 + 11) % many.length]!.id]);
    // Counting crossings for every row width here would take minutes (past the test's time limit); by size alone, ms.
    const at = packBoxes(many, 1.6, 60, links);
    expect(noOverlap(many.map((b) => ({ x1: at.get(b.id)!.x, y1: at.get(b.id)!.y, x2: at.get(b.id)!.x + b.w, y2: at.get(b.id)!.y + b.h })))).toBe(true);
  });

  describe('a star: one box linked to most others (the management account every member trusts)', () => {
    // Boxes of varied sizes (flat cards, a few tall boxes holding member grids), from a fixed generator.
    const star = (n: number, seed: number) => {
      let s = seed;
      const r = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
      const boxes = [{ id: 'hub', w: 380, h: 60 }, ...Array.from({ length: n }, (_, i) => ({ id: `acct-${i}`, w: Math.round(160 + r() * 300), h: Math.round(50 + r() * (r() < 0.3 ? 300 : 60)) }))];
      return { boxes, links: boxes.slice(1).map((b) => (Number(b.id.slice(5)) % 2 ? [b.id, 'hub'] : ['hub', b.id]) as [string, string]) };
    };
    const rectsOf = (boxes: { id: string; w: number; h: number }[], at: Map<string, { x: number; y: number }>) => boxes.map((b) => ({ x1: at.get(b.id)!.x, y1: at.get(b.id)!.y, x2: at.get(b.id)!.x + b.w, y2: at.get(b.id)!.y + b.h }));

    for (const n of [20, 40]) {
      for (const aspect of [0.9, 1.6]) {
        it(`puts ${n} spokes around the hub at aspect ${aspect}: every line clear of third boxes, no overlap, at least 0.45 of the tightest rows' size`, () => {
          const { boxes, links } = star(n, n * 7 + 1);
          // The rows alone: packed tight, the hub's lines run over many boxes (the bug).
          const rows = packBoxes(boxes, aspect, 70);
          expect(linesOverBoxes(boxes, rows, links)).toBeGreaterThan(10);
          const at = packBoxes(boxes, aspect, 70, links);
          expect(linesOverBoxes(boxes, at, links)).toBe(0);
          expect(noOverlap(rectsOf(boxes, at))).toBe(true);
          // Boxes keep the gap between them (the room of the arrows' labels), hub in the middle of the drawing.
          const grown = rectsOf(boxes, at).map((r) => ({ x1: r.x1 - 34, y1: r.y1 - 34, x2: r.x2 + 34, y2: r.y2 + 34 }));
          expect(noOverlap(grown)).toBe(true);
          const all = rectsOf(boxes, at);
          const hub = all[0]!;
          const mid = { x: (Math.min(...all.map((r) => r.x1)) + Math.max(...all.map((r) => r.x2))) / 2, y: (Math.min(...all.map((r) => r.y1)) + Math.max(...all.map((r) => r.y2))) / 2 };
          expect(Math.abs((hub.x1 + hub.x2) / 2 - mid.x)).toBeLessThan(250);
          expect(Math.abs((hub.y1 + hub.y2) / 2 - mid.y)).toBeLessThan(250);
          // The size it gives up for that, against the tightest packing (lines ignored): a ring of 40 needs half.
          expect(fitScale(boxes, at, aspect)).toBeGreaterThanOrEqual(0.45 * fitScale(boxes, rows, aspect));
          // The same boxes and links in another order give the same picture.
          expect([...packBoxes([...boxes].reverse(), aspect, 70, [...links].reverse().map(([a, b]) => [b, a] as [string, string]))].sort()).toEqual([...at].sort());
        });
      }
    }

    it('puts two hubs side by side in the middle, the lines of both clear of third boxes', () => {
      const boxes = [{ id: 'mgmt', w: 380, h: 60 }, { id: 'ci', w: 300, h: 60 }, ...Array.from({ length: 16 }, (_, i) => ({ id: `member-${i}`, w: 200 + (i % 5) * 40, h: 60 + (i % 3) * 30 }))];
      const links: [string, string][] = boxes.slice(2).flatMap((b) => [['mgmt', b.id], [b.id, 'ci']] as [string, string][]);
      links.push(['ci', 'mgmt']);
      expect(hubsOf(boxes, links)).toEqual(['mgmt', 'ci']);
      const at = packBoxes(boxes, 1.3, 70, links);
      expect(linesOverBoxes(boxes, packBoxes(boxes, 1.3, 70), links)).toBeGreaterThan(10);
      expect(linesOverBoxes(boxes, at, links)).toBe(0);
      expect(noOverlap(rectsOf(boxes, at))).toBe(true);
      expect(at.get('mgmt')!.y).toBe(at.get('ci')!.y);
    });

    it('a mostly-star (16 of 20 boxes linked to the hub, a few links between others): hub lines clear, far fewer lines over boxes than rows', () => {
      const boxes = [{ id: 'hub', w: 380, h: 60 }, ...Array.from({ length: 20 }, (_, i) => ({ id: `acct-${i}`, w: 220 + (i % 4) * 40, h: 60 + (i % 3) * 40 }))];
      const hubLinks: [string, string][] = boxes.slice(1, 17).map((b) => ['hub', b.id]);
      const links: [string, string][] = [...hubLinks, ['acct-3', 'acct-4'], ['acct-10', 'acct-11'], ['acct-17', 'acct-18'], ['acct-2', 'acct-12']];
      expect(hubsOf(boxes, links)).toEqual(['hub']);
      const at = packBoxes(boxes, 0.9, 70, links);
      expect(noOverlap(rectsOf(boxes, at))).toBe(true);
      expect(linesOverBoxes(boxes, at, hubLinks)).toBe(0);
      // Only the line across the ring (acct-2 to acct-12) is not steered: it may pass the hub.
      expect(linesOverBoxes(boxes, at, links)).toBeLessThanOrEqual(1);
      expect(linesOverBoxes(boxes, packBoxes(boxes, 0.9, 70), links)).toBeGreaterThan(10);
    });

    it('keeps the rows when there is no hub, or when the rows already leave every line clear', () => {
      // No box linked to half the others: a chain, and the demo's estate (4 boxes, solved by the rows).
      const chain = Array.from({ length: 14 }, (_, i) => ({ id: `c${i}`, w: 200 + (i % 4) * 30, h: 70 + (i % 3) * 20 }));
      const chainLinks: [string, string][] = chain.slice(1).map((b, i) => [chain[i]!.id, b.id]);
      expect(hubsOf(chain, chainLinks)).toEqual([]);
      expect(hubArrangement(chain, 1.2, 70, chainLinks)).toBeNull();
      const fewLinks: [string, string][] = [['c0', 'c1'], ['c0', 'c2'], ['c0', 'c3'], ['c5', 'c9']];
      expect(hubsOf(chain, fewLinks)).toEqual([]);
      // Exactly what the rows gave before there was a hub arrangement (corners from the code before it).
      const corners = (list: [string, number, number][]) => new Map(list.map(([id, x, y]) => [id, { x, y }]));
      expect(packBoxes(chain, 1.2, 70, chainLinks)).toEqual(
        corners([
          ['c11', 0, 0], ['c2', 360, 0], ['c5', 690, 0], ['c8', 990, 0], ['c7', 1260, 0],
          ['c10', 0, 180], ['c1', 330, 180], ['c13', 630, 180], ['c4', 930, 180], ['c3', 1200, 180],
          ['c6', 0, 340], ['c9', 330, 340], ['c0', 630, 340], ['c12', 900, 340],
        ]),
      );
      // The demo's estate has a hub (acct-111, linked to the three others) but its rows already leave every line clear.
      expect(hubsOf(estate, trust)).toEqual(['acct-111']);
      expect(packBoxes(estate, 0.9, 70, trust)).toEqual(corners([['acct-222', 0, 0], ['outside', 360, 0], ['acct-111', 0, 220], ['cluster', 0, 430]]));
    });
  });

  it("puts each box's members inside its own area and empty boxes on their own", () => {
    const nodes: BoxedNode[] = [
      { ...fp('a1'), box: 'A' },
      { ...fp('a2'), box: 'A' },
      { ...fp('b1'), box: 'B' },
      { ...fp('free'), box: null },
    ];
    const l = boxedGrid(nodes, 1, { boxes: ['A', 'B', 'C'], title: new Map([['C', { w: 200, h: 40 }]]) });
    expect(l.positions.size).toBe(4);
    expect(l.emptyBoxes.has('C')).toBe(true);
    const a = ['a1', 'a2'].map((id) => l.positions.get(id)!);
    const b = l.positions.get('b1')!;
    const aBox = { x1: Math.min(...a.map((p) => p.x)) - 13, x2: Math.max(...a.map((p) => p.x)) + 107, y1: Math.min(...a.map((p) => p.y)) - 14, y2: Math.max(...a.map((p) => p.y)) + 14 };
    expect(overlaps(aBox, rectAt(fp('b1'), b))).toBe(false);
  });
});

describe('placeNew (an expand keeps what is drawn where it is)', () => {
  const drawn = [
    { id: 'hub', rect: rectAt(fp('hub'), { x: 0, y: 0 }), at: { x: 0, y: 0 }, box: 'A' },
    { id: 'x', rect: rectAt(fp('x'), { x: 0, y: 60 }), at: { x: 0, y: 60 }, box: 'A' },
  ];
  const boxes = new Map<string, Rect>([
    ['A', { x1: -40, y1: -40, x2: 150, y2: 100 }],
    ['B', { x1: 300, y1: -40, x2: 600, y2: 100 }],
  ]);

  it('places new nodes near what they link to, clear of every drawn footprint and of other boxes', () => {
    const add = Array.from({ length: 12 }, (_, i) => ({ ...fp(`n${i}`), box: 'A', anchors: ['hub'] }));
    const placed = placeNew({ drawn, boxes, add });
    const rects = add.map((n) => rectAt(n, placed.get(n.id)!));
    expect(noOverlap([...rects, ...drawn.map((d) => d.rect)])).toBe(true);
    for (const r of rects) expect(overlaps(r, boxes.get('B')!)).toBe(false);
    // Near: within a few rings of the anchor.
    for (const n of add) expect(Math.hypot(placed.get(n.id)!.x, placed.get(n.id)!.y)).toBeLessThan(700);
  });

  it('is deterministic', () => {
    const add = [{ ...fp('n'), anchors: ['x'] }];
    expect(placeNew({ drawn, boxes, add })).toEqual(placeNew({ drawn, boxes, add }));
  });
});

describe('separate (boxes never overlap)', () => {
  it('pulls overlapping units apart and never moves a fixed one', () => {
    const units = [
      { id: 'grid', rect: { x1: 0, y1: 0, x2: 500, y2: 400 }, fixed: true },
      { id: 'a', rect: { x1: 100, y1: 100, x2: 200, y2: 150 } },
      { id: 'b', rect: { x1: 450, y1: 350, x2: 700, y2: 500 } },
      { id: 'c', rect: { x1: 120, y1: 120, x2: 220, y2: 170 } },
    ];
    const shifts = separate(units, 10);
    expect(shifts.has('grid')).toBe(false);
    const moved = units.map((u) => {
      const d = shifts.get(u.id) ?? { x: 0, y: 0 };
      return { x1: u.rect.x1 + d.x, y1: u.rect.y1 + d.y, x2: u.rect.x2 + d.x, y2: u.rect.y2 + d.y };
    });
    expect(noOverlap(moved)).toBe(true);
  });
});

describe('withSeed (force layouts give the same picture every run)', () => {
  it('makes Math.random repeat for the same key and restores it', () => {
    const original = Math.random;
    const a = withSeed('graph-1', () => [Math.random(), Math.random()]);
    const b = withSeed('graph-1', () => [Math.random(), Math.random()]);
    expect(a).toEqual(b);
    expect(withSeed('graph-2', () => Math.random())).not.toBe(a[0]);
    expect(Math.random).toBe(original);
  });
});
