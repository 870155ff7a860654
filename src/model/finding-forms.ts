// Finding text made from a few values (migration 0015). A credential rule reports tens of thousands of findings
// that differ only in a label, a number of days and a handful of properties: the store keeps those values (the
// form) and builds the title, summary and evidence from them when the findings are read, with the same functions
// the rule used to make them, so what is read is what the rule made.
import type { Evidence, Json, JsonObject } from './fragment.js';

/** A form's name and its values, stored as one JSON array. */
export type FindingForm = readonly [name: string, ...args: Json[]];

export interface FindingText {
  title: string;
  summary: string;
  evidence: Evidence[];
}

/** The node properties each form's evidence cites, in the order it cites them. */
export const UNUSED_KEYS = ['active', 'createdAt', 'lastUsedAt', 'lastUsedService'] as const;
export const OLD_KEYS = ['active', 'createdAt', 'lastRotatedAt', 'managedBy'] as const;
export const ACTIVE_KEYS = ['active', 'createdAt', 'lastUsedAt'] as const;

/** Evidence citing node properties: `data` holds those of `keys` the node states (the others are "not stated"). */
export function propsPiece(label: string, keys: readonly string[], data: JsonObject): Evidence {
  const shown = keys.map((k) => `${k}: ${k in data ? JSON.stringify(data[k]) : 'not stated'}`).join(', ');
  return { type: 'node-props', summary: `${label} — ${shown}`, data };
}

/** A form's title (what a finding's id is made from) and the rest of its text, built apart so the rest can wait. */
interface Form {
  title(a: readonly Json[]): string;
  body(a: readonly Json[]): Omit<FindingText, 'title'>;
}

const FORMS: Record<string, Form> = {
  // [label, days since created or null, cited props]
  'credential-never-used': {
    title: ([label]) => `${label as string} has never been used`,
    body: ([label, age, data]) => ({
      summary: `${label as string} is active and has no recorded use${age !== null ? ` in the ${age as number} days since it was created` : ''}.`,
      evidence: [propsPiece(label as string, UNUSED_KEYS, data as JsonObject)],
    }),
  },
  // [label, days since last use, cited props (lastUsedAt among them)]
  'credential-idle': {
    title: ([label, idle]) => `${label as string} unused for ${idle as number} days`,
    body: ([label, idle, data]) => ({
      summary: `${label as string} is active but was last used ${idle as number} days ago (${String((data as JsonObject)['lastUsedAt'])}).`,
      evidence: [propsPiece(label as string, UNUSED_KEYS, data as JsonObject)],
    }),
  },
  // [label, age in days, whether the age is since the last rotation, cited props]
  'credential-old': {
    title: ([label, age]) => `${label as string} is ${age as number} days old`,
    body: ([label, age, rotated, data]) => ({
      summary: `${label as string} is active and was ${rotated ? 'last rotated' : 'created'} ${age as number} days ago.`,
      evidence: [propsPiece(label as string, OLD_KEYS, data as JsonObject)],
    }),
  },
  // [holder's label, [key label, key name, cited props] per key]
  'multiple-active-keys': {
    title: ([holder, keys]) => `${holder as string} has ${(keys as Json[]).length} active keys`,
    body: ([holder, keys]) => {
      const list = keys as [string, string, JsonObject][];
      return {
        summary: `${holder as string} has ${list.length} active keys: ${list.map((k) => k[1]).join(', ')}.`,
        evidence: list.map(([label, , data]) => propsPiece(label, ACTIVE_KEYS, data)),
      };
    },
  },
};

function formOf(form: FindingForm): Form {
  const f = FORMS[form[0]];
  if (!f) throw new Error(`unknown finding form '${form[0]}'`);
  return f;
}

/** The title of a finding stored as a form; throws on a form this version does not know. */
export function formTitle(form: FindingForm): string {
  return formOf(form).title(form.slice(1));
}

/** The summary and evidence of a finding stored as a form. */
export function formBody(form: FindingForm): Omit<FindingText, 'title'> {
  return formOf(form).body(form.slice(1));
}

/** The text of a finding stored as a form. */
export function renderFindingForm(form: FindingForm): FindingText {
  const f = formOf(form);
  const args = form.slice(1);
  return { title: f.title(args), ...f.body(args) };
}

/** The cited props of `keys` a node states (undefined, which props read from a case never hold, as null). */
export function citedProps(props: Readonly<Record<string, Json | undefined>>, keys: readonly string[]): JsonObject {
  const data: JsonObject = {};
  for (const k of keys) if (k in props) data[k] = props[k] ?? null;
  return data;
}
