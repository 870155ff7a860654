// A table: named columns, each reading one value from a row. The same definition writes CSV (flat cells) and JSON
// (an array of objects keeping lists and objects structured), streamed to a sink in batches.
import type { Json } from '../model/fragment.js';
import type { TextSink } from './sink.js';

export type Cell = Json | undefined;

export interface Column<R> {
  /** The CSV header and the JSON key (snake_case). */
  key: string;
  value(row: R): Cell;
  /** The CSV text when it is not the flattened value (evidence as readable text rather than JSON). */
  csv?(row: R): string;
}

export interface TableDef<R> {
  name: string;
  columns: readonly Column<R>[];
}

export type TableFormat = 'csv' | 'json';

export interface CsvOptions {
  /**
   * Prefix cells starting with = + - @ tab or CR with a quote, so a spreadsheet opening the file does not run a case
   * string as a formula (exports for spreadsheets; off for machine imports such as Neo4j's).
   */
  escapeFormulas?: boolean;
  /** Record delimiter; RFC 4180 says CRLF (the default), neo4j-admin reads LF. */
  eol?: '\r\n' | '\n';
}

const BATCH = 1000;

/** A cell as CSV text: lists of plain values joined by "; ", anything structured as JSON. */
export function csvCell(v: Cell): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) return v.map((x) => (x === null ? '' : String(x))).join('; ');
  return JSON.stringify(v);
}

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA = /^[=+\-@\t\r]/;

/** One CSV field (RFC 4180): quoted when it holds a quote, a comma or a line break; quotes doubled. */
export function csvField(value: string, escapeFormulas: boolean): string {
  const v = escapeFormulas && FORMULA.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Records as CSV text. Written here rather than through csv-stringify: its general transform pipeline cost a third
 * of a million-edge export; the tests read every export back with csv-parse.
 */
export function csvLines(rows: readonly (readonly string[])[], options: CsvOptions = {}): string {
  const formulas = options.escapeFormulas ?? true;
  const eol = options.eol ?? '\r\n';
  let out = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) line += (i ? ',' : '') + csvField(row[i]!, formulas);
    out += line + eol;
  }
  return out;
}

export function writeCsv<R>(def: TableDef<R>, rows: Iterable<R>, sink: TextSink, options: CsvOptions = {}): number {
  sink.write(csvLines([def.columns.map((c) => c.key)], { ...options, escapeFormulas: false }));
  let batch: string[][] = [];
  let n = 0;
  for (const row of rows) {
    batch.push(def.columns.map((c) => (c.csv ? c.csv(row) : csvCell(c.value(row)))));
    n++;
    if (batch.length === BATCH) {
      sink.write(csvLines(batch, options));
      batch = [];
    }
  }
  if (batch.length) sink.write(csvLines(batch, options));
  return n;
}

export function jsonRow<R>(def: TableDef<R>, row: R): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const c of def.columns) {
    const v = c.value(row);
    out[c.key] = v === undefined ? null : v;
  }
  return out;
}

/** A JSON array of row objects, one row per line. */
export function writeJson<R>(def: TableDef<R>, rows: Iterable<R>, sink: TextSink): number {
  let n = 0;
  sink.write('[');
  for (const row of rows) {
    sink.write(`${n ? ',' : ''}\n${JSON.stringify(jsonRow(def, row))}`);
    n++;
  }
  sink.write(n ? '\n]\n' : ']\n');
  return n;
}

export function writeTable<R>(def: TableDef<R>, rows: Iterable<R>, format: TableFormat, sink: TextSink, options: CsvOptions = {}): number {
  return format === 'csv' ? writeCsv(def, rows, sink, options) : writeJson(def, rows, sink);
}

/** Shorthand for a column. */
export function col<R>(key: string, value: (row: R) => Cell): Column<R> {
  return { key, value };
}

/** A column structured in JSON and readable text in CSV. */
export function dual<R>(key: string, value: (row: R) => Cell, csv: (row: R) => string): Column<R> {
  return { key, value, csv };
}
