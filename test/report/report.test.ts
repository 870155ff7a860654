// The report's safety and structure, checked on the HTML text: case strings only as escaped text, the CSP's hash
// of the one stylesheet, no script and nothing to load, redaction, and the sections hook.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/api/engine.js';
import { html } from '../../src/report/html.js';
import { Redactor } from '../../src/report/redact.js';
import { renderReport, SECTIONS } from '../../src/report/sections/index.js';
import type { ReportData } from '../../src/report/model.js';
import { FIXTURES } from '../helpers.js';

const HOSTILE = join(FIXTURES, 'deliver', 'hostile-names.opengraph.json');
const QUOTED = 'og:quote:he said "hi", then left';

describe('the report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-report-'));
  let engine: Engine;
  beforeAll(async () => {
    engine = openEngine(join(dir, 'hostile.blastmap'), { create: true });
    await engine.importFiles({ files: [{ path: HOSTILE }] });
    await engine.mark({ ids: [QUOTED], mark: 'compromised', note: '<b>note</b> "quoted"' });
  });
  afterAll(() => {
    engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes hostile case strings as escaped text only', async () => {
    const { text } = await engine.report({});
    expect(text).not.toMatch(/<script/i);
    expect(text).not.toMatch(/<img/i);
    expect(text).not.toMatch(/<node id="x"\/>/);
    expect(text).not.toContain('<!--');
    expect(text).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(text).toContain('he said &quot;hi&quot;, then left');
    // The only tags are the report's own.
    const tags = new Set([...text.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));
    const allowed = ['html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'h1', 'h2', 'h3', 'h4', 'div', 'dl', 'dt', 'dd', 'nav', 'strong', 'ol', 'ul', 'li', 'section', 'p', 'span', 'table', 'colgroup', 'col', 'thead', 'tbody', 'tr', 'th', 'td', 'br', 'svg', 'g', 'rect', 'text', 'line', 'path', 'footer'];
    expect([...tags].filter((t) => !allowed.includes(t))).toEqual([]);
  });

  it('has a strict CSP whose hash is the one inline stylesheet’s, and nothing that loads or runs', async () => {
    const { text, mediaType, fileName } = await engine.report({});
    expect(mediaType).toBe('text/html;charset=utf-8');
    expect(fileName).toMatch(/^blastmap-report-hostile-\d{4}-.*\.html$/);
    // The attribute's entities decoded, as a browser reads it.
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(text)![1]!.replace(/&#39;/g, "'");
    const styles = [...text.matchAll(/<style>([\s\S]*?)<\/style>/g)];
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256').update(styles[0]![1]!, 'utf8').digest('base64');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    // No tag of the report carries an attribute that loads, links, styles inline or runs.
    expect(text).not.toMatch(/<[a-z][^>]*\s(src|href|style|on[a-z]+)=/i);
    expect(text).not.toMatch(/url\(/i);
  });

  it('--only compromised leaves out findings and inventory; the compromised node is ranked', async () => {
    const { text } = await engine.report({ only: 'compromised' });
    expect(text).toContain('id="s-triage"');
    expect(text).not.toContain('id="s-findings"');
    expect(text).not.toContain('id="s-inventory"');
    expect(text).toContain('marked compromised by user');
  });

  it('--redact-ids leaves none of the case’s ids, names or the file names', async () => {
    const { text, fileName } = await engine.report({ redactIds: true });
    expect(fileName).toMatch(/^blastmap-report-redacted-/);
    for (const s of ['he said', 'HYPERLINK', 'Zoë', 'hostile-names.opengraph.json', 'hostile.blastmap', 'DETACH DELETE', 'jewels']) expect(text, s).not.toContain(s);
    expect(text).toContain('Redacted for sharing');
  });

  it('redaction: stable within one report, different across reports, patterns caught in free text', () => {
    const a = new Redactor();
    a.node('arn:aws:iam::123456789012:user/bob', 'aws_user', 'bob-the-bot');
    const once = a.text('bob-the-bot assumed a role');
    expect(once).toMatch(/^IAM user [0-9a-f]{6} assumed a role$/);
    expect(a.text('again bob-the-bot')).toBe(`again ${once.slice(0, 15)}`);
    expect(new Redactor().text('x')).toBe('x');
    const b = new Redactor();
    b.node('arn:aws:iam::123456789012:user/bob', 'aws_user', 'bob-the-bot');
    expect(b.text('bob-the-bot')).not.toBe(a.text('bob-the-bot'));
    const free = a.text('key AKIAIOSFODNN7EXAMPLE of 210987654321 via arn:aws:iam::210987654321:role/x, mail ops@example.com, see https://github.com/acme/repo, repo:acme/infra:ref:refs/heads/main from 10.1.2.3 id 0f8fad5b-d9cb-469f-a165-70867728950e');
    for (const s of ['AKIAIOSFODNN7EXAMPLE', '210987654321', 'ops@example.com', 'acme', '10.1.2.3', '0f8fad5b']) expect(free, s).not.toContain(s);
    expect(a.deep({ kind: 'aws_user', name: 'bob-the-bot', severity: 'high' })).toEqual({ kind: 'aws_user', name: once.slice(0, 15), severity: 'high' });
  });

  it('sections can be added (the diff of #21 item 4 plugs in here)', async () => {
    const minimal: ReportData = { title: 't', caseFile: 'c', generatedAt: '2026-01-01T00:00:00Z', schemaVersion: 3, counts: { nodes: 0, edges: 0, derivedEdges: 0, findings: 0, marks: 0 }, sources: [], triage: [], details: [], findings: [], inventory: [], limits: { conditionalEdges: 0, derivedEdges: 0, stubNodes: 0, externalBoundaries: 0, formats: [], missing: [] }, redacted: false };
    const extra = { id: 'diff', title: 'What changed', render: () => html`<p>${'<changed>'}</p>` };
    const out = renderReport(minimal, [...SECTIONS.slice(0, 3), extra, ...SECTIONS.slice(3)]);
    expect(out.sections).toBe(SECTIONS.length + 1);
    expect(out.html).toContain('<section class="major" id="s-diff"><h2>What changed</h2><p>&lt;changed&gt;</p></section>');
    expect(out.html.indexOf('id="s-diff"')).toBeLessThan(out.html.indexOf('id="s-findings"'));
  });
});

describe('the report on who can become admin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-report-routes-'));
  let engine: Engine;
  beforeAll(async () => {
    engine = openEngine(join(dir, 'routes.blastmap'), { create: true });
    // Two accounts: tools' admin CI role is trusted by name by a prod admin role; prod's break-glass role trusts the
    // tools account with MFA; a non-admin CodeBuild role in tools reaches nothing.
    await engine.importFiles({ files: [{ path: join(FIXTURES, 'aws', 'gaad-tools-and-prod-admin-routes.json') }] });
  });
  afterAll(() => {
    engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names, in the summary, the admins that can leave their boundary, with the route findings’ titles', async () => {
    const { text } = await engine.report({});
    const summary = text.slice(text.indexOf('id="s-summary"'), text.indexOf('id="s-findings"'));
    expect(summary).toContain('Who can become admin');
    // Whoever is admin of tools can take over the CI role prod's admin role trusts (one finding, on the admin node).
    expect(summary).toContain('1 admin can become admin of a boundary it does not hold');
    const found = await engine.findings({ rule: 'admin-crosses-boundary' });
    expect(found).toHaveLength(1);
    for (const f of found) expect(summary).toContain(`<li>${f.title}.</li>`);
    // No identity here becomes admin from outside admin: that half is not claimed.
    expect(summary).not.toContain('that are not admin can become admin');
  });

  it('leaves it out of a report of the compromised credentials only', async () => {
    const { text } = await engine.report({ only: 'compromised' });
    expect(text).not.toContain('Who can become admin');
  });
});
