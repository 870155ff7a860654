// Helm chart templates (Go templates over YAML) look like manifests but are not: `{{ .Values.x }}` parses as a
// YAML flow map, or fails to parse. Importers reading YAML refuse them with a plain instruction instead.

/** Template actions Helm charts use; not the `{{ $labels.x }}` or `{{workflow.name}}` text rendered manifests carry. */
const HELM_ACTION = /\{\{-?\s*(\.(Values|Release|Chart|Capabilities|Files|Template)\b|(include|template|toYaml|tpl|if|range|with|define|end)\b)/;

/** The 1-based line of the first Helm template action in the text, or undefined. */
export function helmTemplateLine(text: string): number | undefined {
  const m = HELM_ACTION.exec(text);
  if (!m) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export const HELM_MESSAGE = 'this is an unrendered Helm chart template ({{ … }}): render it first (helm template <release> <chart> > manifests.yaml) and import the output';
