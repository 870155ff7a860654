// The report's one stylesheet, inlined under a CSP hash. Screen: a readable column. Print (A4): each major section
// starts a page, headings stay with what follows, table headers repeat, rows and cards are not split.
export const REPORT_CSS = `
:root { --ink: #1c2430; --muted: #5b6675; --line: #d6dbe2; --soft: #f3f5f8; --accent: #1f5fbf;
  --critical: #a4161a; --high: #d9480f; --medium: #b08900; --low: #2f7d32; --info: #5b6675; }
* { box-sizing: border-box; }
html { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
body { margin: 0; }
main { max-width: 1040px; margin: 0 auto; padding: 32px 40px 64px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 0 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--ink); break-after: avoid; }
h3 { font-size: 16px; margin: 22px 0 8px; break-after: avoid; }
h4 { font-size: 14px; margin: 14px 0 6px; break-after: avoid; }
p { margin: 6px 0 10px; }
section.major { margin-top: 44px; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.mono, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; overflow-wrap: anywhere; }
.cover { border-bottom: 1px solid var(--line); padding-bottom: 18px; }
.cover .meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin-top: 12px; font-size: 13px; }
.cover .meta dt { color: var(--muted); }
.cover .meta dd { margin: 0; overflow-wrap: anywhere; }
.banner { margin-top: 12px; padding: 8px 12px; border: 1px solid var(--line); background: var(--soft); font-size: 13px; }
nav.toc ol { margin: 6px 0 0; padding-left: 20px; columns: 2; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 12px 0 16px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; break-inside: avoid; }
.kpi .v { font-size: 24px; font-weight: 700; }
.kpi .l { color: var(--muted); font-size: 12px; }
.kpi.alarm { border-color: var(--critical); }
.kpi.alarm .v { color: var(--critical); }
ol.worst { padding-left: 22px; }
ol.worst li { margin-bottom: 8px; break-inside: avoid; }
table { width: 100%; border-collapse: collapse; margin: 8px 0 14px; font-size: 12.5px; }
thead { display: table-header-group; }
th { text-align: left; font-weight: 600; background: var(--soft); border-bottom: 1px solid var(--line); padding: 5px 6px; vertical-align: bottom; }
td { border-bottom: 1px solid var(--line); padding: 5px 6px; vertical-align: top; overflow-wrap: break-word; }
table.fixed { table-layout: fixed; }
table.inventory col:nth-child(1) { width: 21%; } table.inventory col:nth-child(2) { width: 12%; } table.inventory col:nth-child(3) { width: 24%; }
table.inventory col:nth-child(4) { width: 8%; } table.inventory col:nth-child(5) { width: 13%; } table.inventory col:nth-child(6) { width: 11%; } table.inventory col:nth-child(7) { width: 11%; }
table.triage col:nth-child(1) { width: 4%; } table.triage col:nth-child(2) { width: 24%; } table.triage col:nth-child(3) { width: 11%; } table.triage col:nth-child(4) { width: 14%; }
table.triage col:nth-child(5) { width: 9%; } table.triage col:nth-child(6) { width: 14%; } table.triage col:nth-child(7) { width: 6%; } table.triage col:nth-child(8) { width: 6%; }
table.triage col:nth-child(9) { width: 5%; } table.triage col:nth-child(10) { width: 7%; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
.sev { display: inline-block; min-width: 62px; text-align: center; border-radius: 3px; padding: 0 6px; color: #fff; font-size: 11px; font-weight: 700; text-transform: uppercase; }
.sev-critical { background: var(--critical); } .sev-high { background: var(--high); } .sev-medium { background: var(--medium); }
.sev-low { background: var(--low); } .sev-info { background: var(--info); }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 3px; padding: 0 5px; font-size: 11px; margin-right: 3px; white-space: nowrap; }
.tag.bad { border-color: var(--critical); color: var(--critical); font-weight: 600; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; margin: 10px 0 14px; break-inside: avoid; }
.card.credential, .card.path { break-inside: auto; }
.card.path svg { break-inside: avoid; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
ol.steps { padding-left: 20px; margin: 6px 0; }
ol.steps li { margin-bottom: 8px; break-inside: avoid; }
.step-head { font-weight: 600; }
.verb { color: var(--accent); font-weight: 600; }
ul.evidence { margin: 2px 0 0; padding-left: 18px; font-size: 12px; color: var(--muted); }
ul.checklist { list-style: none; padding-left: 0; }
ul.checklist > li { margin-bottom: 8px; break-inside: avoid; padding-left: 24px; position: relative; }
ul.checklist > li::before { content: ""; position: absolute; left: 2px; top: 3px; width: 12px; height: 12px; border: 1.5px solid var(--ink); border-radius: 2px; }
.cond { color: var(--high); }
.bad-text { color: var(--critical); font-weight: 600; }
svg { max-width: 100%; height: auto; display: block; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
.chart { margin: 6px 0 12px; }
.score-parts { font-size: 12px; color: var(--muted); margin: 0; padding-left: 18px; }
footer { margin-top: 48px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  html { font-size: 11px; }
  main { max-width: none; padding: 0; }
  section.major { margin-top: 0; break-before: page; }
  .card.credential { break-before: page; }
  .card.credential:first-of-type { break-before: auto; }
  nav.toc ol { columns: 2; }
  a { color: inherit; text-decoration: none; }
}
`;
