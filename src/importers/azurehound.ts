import { isObject } from '../model/fragment.js';
import { looksJsonLines } from './activity.js';
import { AzureHoundBuilder, type HoundRecord } from './azurehound-build.js';
import { ImportError, jsonPath } from './errors.js';
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
  parse(input, ctx) {
    const builder = new AzureHoundBuilder(input.fileName, ctx);
    return builder.build(records(input));
  },
};

/** The file's records, each with its place: `$.data[3]` in a file, `line 4` in console output. */
function records(input: ImportInput): HoundRecord[] {
  const file = input.fileName;
  const out: HoundRecord[] = [];
  if (looksJsonLines(input.text())) {
    for (const row of input.jsonLines()) {
      const at = `line ${row.line}`;
      if ('error' in row) throw new ImportError(file, `invalid JSON: ${row.error}`, at);
      // A console capture may hold the file shape too (one document per line).
      if (isObject(row.value) && Array.isArray(row.value['data']) && !('kind' in row.value)) out.push(...fromDocument(file, row.value, `${at} `));
      else out.push(record(file, row.value, at));
    }
    return out;
  }
  const doc = input.json();
  if (Array.isArray(doc)) return doc.map((r, i) => record(file, r, jsonPath(i)));
  if (!isObject(doc)) throw new ImportError(file, 'expected an AzureHound file: {"data": [{"kind": "AZ…", "data": {…}}, …], "meta": {…}}', '$');
  if ('kind' in doc) return [record(file, doc, '$')];
  return fromDocument(file, doc, '');
}

function fromDocument(file: string, doc: Record<string, unknown>, prefix: string): HoundRecord[] {
  const meta = doc['meta'];
  if (isObject(meta) && typeof meta['type'] === 'string' && meta['type'].toLowerCase() !== 'azure') {
    throw new ImportError(file, `meta.type is ${JSON.stringify(meta['type'])}: this is not an AzureHound (Azure) collection; SharpHound files are read as 'bloodhound-sharphound'`, `${prefix}$.meta.type`);
  }
  const data = doc['data'];
  if (!Array.isArray(data)) throw new ImportError(file, 'expected "data" to be an array of {"kind", "data"} records', `${prefix}$.data`);
  return data.map((r, i) => record(file, r, `${prefix}${jsonPath('data', i)}`));
}

function record(file: string, raw: unknown, at: string): HoundRecord {
  if (!isObject(raw)) throw new ImportError(file, 'expected an AzureHound record {"kind": "AZ…", "data": {…}}', at);
  const kind = raw['kind'];
  if (typeof kind !== 'string' || !kind) throw new ImportError(file, 'an AzureHound record needs a string "kind"', `${at}.kind`);
  const data = raw['data'];
  if (!isObject(data)) throw new ImportError(file, `the ${kind} record's "data" must be an object`, `${at}.data`);
  return { kind, data, at };
}
