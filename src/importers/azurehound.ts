import { isObject } from '../model/fragment.js';
import { isJsonLines } from './activity.js';
import { AzureHoundBuilder, type HoundRecord } from './azurehound-build.js';
import { ImportError, jsonPath } from './errors.js';
import type { StreamChoice } from './json-stream.js';
import type { ImportInput, Importer } from './types.js';

// AzureHound output (SpecterOps): what `azurehound list … -o file.json` writes — {"data": [{"kind": "AZApp", "data":
// {…}}, …], "meta": {"type": "azure", "version": 5, "count": N}}, meta last — and what it prints to the console
// without -o: one {"kind", "data"} record per line. One file per kind or all kinds in one. Records name Entra
// objects by object id (upper-cased by recent releases), ARM objects by resource id; the nodes are the ones the
// Entra Graph and ARM importers make, so AzureHound and az/Graph exports of one tenant merge.

export const azureHound: Importer = {
  format: 'azurehound',
  title: 'AzureHound collection (BloodHound CE Azure data: Entra ID and Azure Resource Manager)',
  provider: 'azure',
  producedBy: 'azurehound list [az-ad|az-rm|<kind>] -o output.json (or its console output, one record per line)',
  emits: ['AUTHENTICATES_AS', 'OWNS', 'FEDERATES_TO', 'MEMBER_OF', 'HAS_ROLE'],
  jsonLines: true,
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    // The record wrapper {"kind": "AZ…", "data": {…}}; the file's meta {"type": "azure"} may come first (converters
    // write it there) or last (AzureHound itself).
    if (/"kind"\s*:\s*"AZ[A-Za-z]+"/.test(h) && /"data"\s*:\s*\{/.test(h)) return 0.97;
    if (/"meta"\s*:\s*\{[^}]*"type"\s*:\s*"azure"/.test(h) && /"data"\s*:\s*\[/.test(h)) return 0.97;
    return 0;
  },
  async parse(input, ctx) {
    const builder = new AzureHoundBuilder(input.fileName, ctx);
    // JSON-lines and large documents are read twice (the builder learns every object first), one record at a time.
    const streamed = (await isJsonLines(input)) ? () => lineRecords(input) : input.large ? () => streamedRecords(input) : undefined;
    if (!streamed) return builder.build(records(input.fileName, input.json()));
    for await (const r of streamed()) builder.learn(r);
    builder.startReading();
    for await (const r of streamed()) builder.read(r);
    return builder.finished();
  },
};

/** Console output, one record per line: each with its place, `line 4` (or `line 4 $.data[2]`). */
async function* lineRecords(input: ImportInput): AsyncIterable<HoundRecord> {
  const file = input.fileName;
  for await (const row of input.jsonLinesStream()) {
    const at = `line ${row.line}`;
    if ('error' in row) throw new ImportError(file, `invalid JSON: ${row.error}`, at);
    // A console capture may hold the file shape too (one document per line).
    if (isObject(row.value) && Array.isArray(row.value['data']) && !('kind' in row.value)) yield* fromDocument(file, row.value, `${at} `);
    else yield record(file, row.value, at);
  }
}

/** The records of a document read whole, each with its place: `$.data[3]`. */
function records(file: string, doc: unknown): HoundRecord[] {
  if (Array.isArray(doc)) return doc.map((r, i) => record(file, r, jsonPath(i)));
  if (!isObject(doc)) throw new ImportError(file, NOT_HOUND, '$');
  if ('kind' in doc) return [record(file, doc, '$')];
  return fromDocument(file, doc, '');
}

const NOT_HOUND = 'expected an AzureHound file: {"data": [{"kind": "AZ…", "data": {…}}, …], "meta": {…}}';

/**
 * The same records streamed from `$.data` (or a root array), the other members kept. A bad record is reported
 * after the whole document has been seen, so the file is refused for the reason the whole reading gives (the meta
 * may come last).
 */
async function* streamedRecords(input: ImportInput): AsyncIterable<HoundRecord> {
  const file = input.fileName;
  const members: Record<string, unknown> = {};
  const seen = { object: false };
  let listed = false;
  let bad: ImportError | undefined;
  const choose = (path: (string | number)[], container: boolean, array: boolean): StreamChoice => {
    if (path.length === 0) {
      if (!container) return 'emit';
      seen.object = !array;
      return 'descend';
    }
    if (path.length === 1 && path[0] === 'data' && array) {
      listed = true;
      return 'descend';
    }
    return 'emit';
  };
  for await (const v of input.jsonStream(choose)) {
    if (v.path.length === 0) return void records(file, v.value);
    const [first, index] = v.path;
    const element = typeof first === 'number' ? jsonPath(first) : listed && v.path.length === 2 && first === 'data' ? jsonPath('data', index!) : undefined;
    if (element === undefined) members[first!] = v.value;
    else if (!bad) {
      try {
        yield record(file, v.value, element);
      } catch (err) {
        if (!(err instanceof ImportError)) throw err;
        bad = err;
      }
    }
  }
  if (seen.object) {
    // What the whole reading checks before the records: the record at the root, the meta, "data" being a list.
    if ('kind' in members) yield record(file, listed ? { ...members, data: [] } : members, '$');
    else if (!listed) fromDocument(file, members, '');
    else checkMeta(file, members, '');
  }
  if (bad) throw bad;
}

function fromDocument(file: string, doc: Record<string, unknown>, prefix: string): HoundRecord[] {
  checkMeta(file, doc, prefix);
  const data = doc['data'];
  if (!Array.isArray(data)) throw new ImportError(file, 'expected "data" to be an array of {"kind", "data"} records', `${prefix}$.data`);
  return data.map((r, i) => record(file, r, `${prefix}${jsonPath('data', i)}`));
}

function checkMeta(file: string, doc: Record<string, unknown>, prefix: string): void {
  const meta = doc['meta'];
  if (isObject(meta) && typeof meta['type'] === 'string' && meta['type'].toLowerCase() !== 'azure') {
    throw new ImportError(file, `meta.type is ${JSON.stringify(meta['type'])}: this is not an AzureHound (Azure) collection; SharpHound files are read as 'bloodhound-sharphound'`, `${prefix}$.meta.type`);
  }
}

function record(file: string, raw: unknown, at: string): HoundRecord {
  if (!isObject(raw)) throw new ImportError(file, 'expected an AzureHound record {"kind": "AZ…", "data": {…}}', at);
  const kind = raw['kind'];
  if (typeof kind !== 'string' || !kind) throw new ImportError(file, 'an AzureHound record needs a string "kind"', `${at}.kind`);
  const data = raw['data'];
  if (!isObject(data)) throw new ImportError(file, `the ${kind} record's "data" must be an object`, `${at}.data`);
  return { kind, data, at };
}
