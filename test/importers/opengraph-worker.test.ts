// The edge pass of a large OpenGraph file on disk runs in a worker thread (opengraph-edges.ts): what it gives must be
// exactly what the same reading on this thread gives (an input held in memory is read here), fragment by fragment,
// with the same warnings and the same first error at the same place; and no worker outlives its reading.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/importers/errors.js';
import { createInput, openInput } from '../../src/importers/input.js';
import { DEFAULT_LIMITS } from '../../src/importers/limits.js';
import { edgeWorkersRunning, startEdgeWorker, type EdgeBatch } from '../../src/importers/opengraph-edge-worker.js';
import { opengraph } from '../../src/importers/opengraph.js';
import type { ImportInput } from '../../src/importers/types.js';
import type { GraphFragment } from '../../src/model/fragment.js';
import { tempDir } from '../helpers.js';

const STREAM = { ...DEFAULT_LIMITS, streamAboveBytes: 0 };

/** Every fragment the importer gives, or the error it ends with (with what came before it). */
async function fragments(input: ImportInput): Promise<{ fragments: GraphFragment[]; error?: { detail: string; location: string | undefined; file: string } }> {
  const out: GraphFragment[] = [];
  try {
    for await (const f of opengraph.parse(input, { options: {}, now: new Date(0) }) as AsyncIterable<GraphFragment>) out.push(structuredClone(f));
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    return { fragments: [], error: { detail: err.detail, location: err.location, file: err.file } };
  }
  return { fragments: out };
}

/** The file read through the worker (on disk) and on this thread (the same bytes in memory). */
async function bothWays(text: string) {
  const path = join(tempDir(), 'graph.json');
  writeFileSync(path, text);
  const onDisk = await openInput('graph.json', path, STREAM);
  expect(onDisk.file?.path).toBe(path);
  const inMemory = createInput('graph.json', Buffer.from(text), STREAM);
  expect(inMemory.large && !inMemory.file).toBe(true);
  return { worker: await fragments(onDisk), here: await fragments(inMemory) };
}

/** A graph with what edges can be: ends by id, number, name (with kinds), unknown ids (stubs), misses, properties. */
function richGraph(edges: number): { nodes: unknown[]; edges: Record<string, unknown>[] } {
  const nodes: unknown[] = [];
  for (let i = 0; i < 300; i++) nodes.push({ id: `n${i}`, kinds: [i % 7 === 0 ? 'X_Group' : 'X_User'], properties: { name: `user-${i % 250}`, displayname: `U${i}` } });
  nodes.push({ id: 5, kinds: ['X_Computer', 'Tier_Zero'], properties: { name: 'five' } });
  const list: Record<string, unknown>[] = [];
  for (let i = 0; i < edges; i++) {
    const e: Record<string, unknown> = { kind: ['X_MemberOf', 'X_AdminTo', 'X_Owns'][i % 3], start: { value: `n${(i * 7) % 300}` }, end: { value: `n${(i * 13) % 300}` } };
    if (i % 5 === 0) e['end'] = { value: `USER-${i % 280}`, match_by: 'name' };
    if (i % 11 === 0) e['end'] = { value: `user-${i % 40}`, match_by: 'name', kind: 'X_Group' };
    if (i % 17 === 0) e['start'] = { value: `elsewhere-${i % 9}`, kind: i % 2 ? 'Computer' : 'Group' };
    if (i % 19 === 0) e['start'] = { value: i % 2 ? 5 : '5', match_by: i % 4 ? null : 'id' };
    if (i % 23 === 0) e['properties'] = { at: 'mine', weight: i, technique: 'T', nested: { a: [1, { b: null }] } };
    list.push(e);
  }
  return { nodes, edges: list };
}

describe('OpenGraph edges read in a worker', () => {
  it('are those read on this thread, fragment by fragment, with the same stubs, warnings and marks', async () => {
    const { worker, here } = await bothWays(JSON.stringify({ metadata: { source_kind: 'T' }, graph: richGraph(120_000) }));
    expect(worker.error).toBeUndefined();
    expect(worker.fragments.length).toBeGreaterThan(2);
    expect(worker).toEqual(here);
    const all = worker.fragments.flatMap((f) => f.edges);
    expect(all.filter((e) => e.props?.['weight'] !== undefined)).not.toHaveLength(0);
    expect(worker.fragments.flatMap((f) => f.nodes).filter((n) => n.stub).map((n) => n.id)).toContain('og:elsewhere-0');
    expect(worker.fragments.flatMap((f) => f.warnings)).not.toHaveLength(0);
  });

  it('hand over the edges as numbers into tables of the distinct kinds and ends', async () => {
    const path = join(tempDir(), 'g.json');
    writeFileSync(path, JSON.stringify({ graph: { nodes: [], edges: [{ kind: 'K', start: { value: 'a' }, end: { value: 'b' } }, { kind: 'K', start: { value: 'b', match_by: 'name' }, end: { value: 'a' }, properties: { w: 1 } }] } }));
    const worker = startEdgeWorker(await openInput('g.json', path, STREAM))!;
    expect(await worker.started()).toBe(true);
    const batch = (await worker.next()) as EdgeBatch;
    expect(batch.type).toBe('edges');
    expect(batch.kinds).toEqual(['K']);
    expect(batch.ends).toEqual([
      ['a', 'id', null],
      ['b', 'id', null],
      ['b', 'name', null],
    ]);
    expect([...batch.index, ...batch.kind, ...batch.start, ...batch.end]).toEqual([0, 1, 0, 0, 0, 2, 1, 0]);
    expect(batch).toMatchObject({ extraAt: [1], extras: ['{"w":1}'] });
    expect(await worker.next()).toEqual({ type: 'end' });
    worker.stop();
  });

  it('end with the error the reading here ends with, at the same place', async () => {
    const good = richGraph(40_000);
    const broken = (i: number, edge: unknown) => {
      const edges = [...good.edges];
      edges[i] = edge as Record<string, unknown>;
      return JSON.stringify({ graph: { nodes: good.nodes, edges } });
    };
    const texts = [
      broken(30_000, { kind: 'X', start: { value: 'n1', match_by: 'sid' }, end: { value: 'n2' } }),
      broken(25_000, { kind: '', start: { value: 'n1' }, end: { value: 'n2' } }),
      broken(20_000, { kind: 'X', start: { value: 'n1' }, end: { value: { no: 1 } } }),
      broken(20_001, { kind: 'X', start: { value: 'n1' }, end: 'n2' }),
      broken(3, 42),
      // A syntax error in the edge list, a truncated file, text after the end.
      JSON.stringify({ graph: good }).replace('"n1"}', '"n1"]'),
      JSON.stringify({ graph: good }).slice(0, -1000),
      `${JSON.stringify({ graph: good })} tail`,
    ];
    for (const text of texts) {
      const { worker, here } = await bothWays(text);
      expect(here.error, text.slice(-40)).toBeDefined();
      expect(worker, text.slice(-40)).toEqual(here);
    }
  });

  it('is stopped when the reading is abandoned, and ends by itself when it is read to the end', async () => {
    const path = join(tempDir(), 'big.json');
    writeFileSync(path, JSON.stringify({ graph: richGraph(200_000) }));
    await expect.poll(() => edgeWorkersRunning()).toBe(0);
    const it = (opengraph.parse(await openInput('big.json', path, STREAM), { options: {}, now: new Date(0) }) as AsyncIterable<GraphFragment>)[Symbol.asyncIterator]();
    expect((await it.next()).done).toBe(false);
    await it.return!();
    await expect.poll(() => edgeWorkersRunning()).toBe(0);
    const read = await fragments(await openInput('big.json', path, STREAM));
    expect(read.fragments.flatMap((f) => f.edges).length).toBeGreaterThan(100_000);
    await expect.poll(() => edgeWorkersRunning()).toBe(0);
  });

  it('runs ahead of the importing thread by at most the edges it is allowed, and still gives them all in order', async () => {
    const path = join(tempDir(), 'ahead.json');
    const graph = richGraph(60_000);
    writeFileSync(path, JSON.stringify({ graph }));
    /** How far ahead a worker got while nothing was taken, and the edges' file positions read through it. */
    const read = async (ahead: number) => {
      const worker = startEdgeWorker(await openInput('ahead.json', path, STREAM), ahead)!;
      expect(await worker.started()).toBe(true);
      // Nothing taken: the worker reads until it is told to wait (or to the end).
      let last = -1;
      for (let quiet = 0; quiet < 5; quiet++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (worker.buffered() !== last) quiet = 0;
        last = worker.buffered();
      }
      const index: number[] = [];
      let largest = 0;
      for (let m = await worker.next(); m.type === 'edges'; m = await worker.next()) {
        largest = Math.max(largest, m.index.length);
        index.push(...m.index);
      }
      worker.stop();
      return { early: last, largest, index };
    };
    const bounded = await read(5_000);
    expect(bounded.index).toEqual(graph.edges.map((_, i) => i));
    // It stops once past its allowance: at most one batch over it.
    expect(bounded.early).toBeGreaterThan(0);
    expect(bounded.early).toBeLessThan(5_000 + bounded.largest);
    expect(bounded.early).toBeLessThan(60_000);
    // Unbounded, the same file is read to its end before anything is taken.
    expect((await read(Number.POSITIVE_INFINITY)).early).toBe(60_000);
    await expect.poll(() => edgeWorkersRunning()).toBe(0);
  });
});
