// Worker thread: reads the edge list of an OpenGraph file (opengraph.ts's edge pass) and posts the edges in the
// order of the file, each checked as the thread reading it itself would (the same first error, at the same place),
// as numbers into tables of the distinct kinds and ends (opengraph-edge-worker.ts). The thread that started it
// resolves the ends and writes the edges meanwhile; it stops this one on an error or a cancel.
import { parentPort, workerData } from 'node:worker_threads';
import { openInput } from './input.js';
import { errorShape, type EdgeBatch, type EdgeJob, type EdgeMessage, type TakenMessage } from './opengraph-edge-worker.js';
import { edgeParts, graphShape, type EdgeEnd } from './opengraph.js';

async function main(port: NonNullable<typeof parentPort>, job: EdgeJob): Promise<void> {
  const post = (m: EdgeMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  // Edges posted and not yet taken by the importing thread, which says how many it took: past job.ahead this
  // thread waits, so a file read faster than it is written (the nodes pass takes minutes at 2M nodes) is not held
  // in memory as a queue of parsed edges.
  let ahead = 0;
  let wake: (() => void) | undefined;
  const took = (m: TakenMessage) => {
    ahead -= m.edges;
    if (wake && ahead < job.ahead) {
      const w = wake;
      wake = undefined;
      w();
    }
  };
  port.on('message', took);
  post({ type: 'ready' });
  const file = job.fileName;
  const kindCodes = new Map<string, number>();
  // Ends matched by id with no kind (nearly all) are keyed by their value itself, a string and a number apart (they
  // name the same id but are shown apart); other ends by a key of their parts. A key made for each of two million
  // ends cost this thread more than parsing them.
  const byString = new Map<string, number>();
  const byNumber = new Map<number, number>();
  const byParts = new Map<string, number>();
  let ends = 0;
  const code = (e: EdgeEnd, fresh: EdgeBatch['ends']): number => {
    const plain = e.match_by === 'id' && e.kind === undefined;
    const value = e.value;
    let c: number | undefined;
    if (plain && typeof value === 'string') {
      c = byString.get(value);
      if (c === undefined) byString.set(value, (c = ends++));
      else return c;
    } else if (plain) {
      c = byNumber.get(value as number);
      if (c === undefined) byNumber.set(value as number, (c = ends++));
      else return c;
    } else {
      const key = `${e.match_by === 'id' ? 'i' : 'n'}${typeof value === 'number' ? 'n' : 's'}${e.kind === undefined ? '-' : `${e.kind.length}:${e.kind}`}|${value}`;
      c = byParts.get(key);
      if (c === undefined) byParts.set(key, (c = ends++));
      else return c;
    }
    fresh.push([value, e.match_by, e.kind ?? null]);
    return c;
  };
  try {
    const input = await openInput(file, job.path, job.limits);
    for await (const values of input.jsonStreamBatches(graphShape(file, 'edges').choose)) {
      const n = values.length;
      const batch: EdgeBatch = { type: 'edges', kinds: [], ends: [], index: new Uint32Array(n), kind: new Uint32Array(n), start: new Uint32Array(n), end: new Uint32Array(n), extraAt: [], extras: [] };
      for (let e = 0; e < n; e++) {
        const v = values[e]!;
        const i = v.path[2] as number;
        const { kind, start, end, extra } = edgeParts(file, v.value, i);
        let k = kindCodes.get(kind);
        if (k === undefined) {
          kindCodes.set(kind, (k = kindCodes.size));
          batch.kinds.push(kind);
        }
        batch.index[e] = i;
        batch.kind[e] = k;
        batch.start[e] = code(start, batch.ends);
        batch.end[e] = code(end, batch.ends);
        if (extra) {
          batch.extraAt.push(e);
          batch.extras.push(JSON.stringify(extra));
        }
      }
      while (ahead >= job.ahead) await new Promise<void>((resolve) => (wake = resolve));
      ahead += n;
      post(batch, [batch.index.buffer, batch.kind.buffer, batch.start.buffer, batch.end.buffer] as ArrayBuffer[]);
    }
    post({ type: 'end' });
  } catch (err) {
    post({ type: 'error', error: errorShape(err) });
  } finally {
    // Listening keeps this thread alive; once the reading is over nothing more is waited for.
    port.off('message', took);
  }
}

if (parentPort) void main(parentPort, workerData as EdgeJob);
