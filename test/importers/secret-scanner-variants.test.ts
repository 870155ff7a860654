import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitleaks } from '../../src/importers/gitleaks.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { trufflehog } from '../../src/importers/trufflehog.js';
import { openEngine } from '../../src/api/engine.js';
import { FIXTURES, parseAll, ROOT, tempCase, tempDir } from '../helpers.js';

// Real scanner outputs Blastmap refused or misread: clean reports ([] from gitleaks, null from older releases),
// Go's zero date, gitleaks SARIF, trufflehog v2 JSON-lines, trufflehog v3 findings saved as a JSON array.

const fixture = (name: string) => join(FIXTURES, 'secret-scanners', name);
const parse = (importer: typeof gitleaks, name: string) => parseAll(importer, createInput(name, readFileSync(fixture(name))));

describe('clean scanner reports', () => {
  it('a gitleaks [] or null alone is an empty report, said as such; dropped with other files it sinks nothing', async () => {
    // The upstream clean report, under a name that says nothing of its scanner.
    const clean = join(tempDir(), 'scan-results.json');
    writeFileSync(clean, readFileSync(fixture('gitleaks-upstream-empty.json')));
    const engine = openEngine(tempCase(), { create: true });
    const result = await engine.importFiles({ files: [{ path: clean }, { path: fixture('gitleaks-no-findings-null.json') }, { path: join(ROOT, 'assets', 'demo', 'aws-dev-gaad.json') }] });
    expect(result.sources.map((s) => [s.fileName, s.format])).toEqual([
      ['scan-results.json', 'gitleaks'],
      ['gitleaks-no-findings-null.json', 'gitleaks'],
      ['aws-dev-gaad.json', 'aws-gaad'],
    ]);
    const said = (file: string) => result.warnings.filter((w) => w.file === file).map((w) => w.message);
    // [] with nothing else to go on: a guess, said; null is what gitleaks wrote.
    expect(said('scan-results.json')).toEqual([
      'the file holds only []: read as an empty secret-scanner report (gitleaks writes [] for a clean scan); it adds nothing to the case',
      'the report lists no findings (a clean scan): nothing to import',
    ]);
    expect(said('gitleaks-no-findings-null.json')).toEqual(['the report lists no findings (a clean scan): nothing to import']);
    expect(result.counts.nodes).toBeGreaterThan(5);
    engine.close();
  });

  it('a [] beside another scanner report, or named after its scanner, is a clean report of that scanner', async () => {
    const dir = tempDir();
    const clean = join(dir, 'repo-b.json');
    writeFileSync(clean, '[]\n');
    const engine = openEngine(tempCase(), { create: true });
    const result = await engine.importFiles({ files: [{ path: fixture('trufflehog-v3-git-source.jsonl') }, { path: clean }] });
    expect(result.sources.map((s) => s.format)).toEqual(['trufflehog', 'trufflehog']);
    expect(result.warnings.filter((w) => w.file === 'repo-b.json').map((w) => w.message)).toEqual(['the report lists no findings (a clean scan): nothing to import']);
    const named = join(dir, 'trufflehog-results.json');
    writeFileSync(named, '[ ]');
    expect((await engine.importFiles({ files: [{ path: named }] })).sources[0]?.format).toBe('trufflehog');
    engine.close();
  });

  it("Go's zero date means no date", async () => {
    const f = await parse(gitleaks, 'gitleaks-v7-zero-date.json');
    const leak = f.nodes.find((n) => n.kind === 'leak')!;
    expect(leak.props).toMatchObject({ rule: 'Twitter Client ID', file: 'README.md', line: 23 });
    expect(leak.props?.['date']).toBeUndefined();
  });
});

describe('gitleaks SARIF', () => {
  it('reads the upstream expected report: rule, file, line, commit, author and date; never the snippet', async () => {
    const input = createInput('sarif_simple.sarif', readFileSync(fixture('gitleaks-upstream-sarif-simple.sarif')));
    expect(detectImporter(input).format).toBe('gitleaks');
    const f = await parseAll(gitleaks, input);
    const leak = f.nodes.find((n) => n.kind === 'leak')!;
    expect(leak.props).toMatchObject({ scanner: 'gitleaks', rule: 'test-rule', file: 'auth.py', line: 1, commit: '0000000000000000', author: 'John Doe', email: 'johndoe@gmail.com', date: '2003-10-19', at: '$.runs[0].results[0]' });
    expect(JSON.stringify(f)).not.toContain('a secret');
  });

  it('exposes the AWS key a result names and marks it; secrets of their own keep their type', async () => {
    const f = await parse(gitleaks, 'scenario-gitleaks-known-secrets.sarif');
    const exposes = f.edges.filter((e) => e.kind === 'EXPOSES').map((e) => e.to);
    expect(exposes.filter((t) => t === 'aws:key:AKIAQSCENARIOKEY0001')).toHaveLength(1);
    // SARIF keeps only the secret, not the matched line: the secret key beside the key id is a secret of its own.
    expect(f.nodes.filter((n) => n.kind === 'secret_credential').map((n) => n.name).sort()).toEqual(['GitHub token …2UeQ', 'generic-api-key …Rj9S']);
    expect(f.marks?.map((m) => m.nodeId)).toContain('aws:key:AKIAQSCENARIOKEY0001');
    const text = JSON.stringify(f);
    for (const secret of ['ghp_Zx9Qm2Lr7Tb4Vn1Kc8Wd3Hs6Yp0Fj5Ga2UeQ', 'Q8v3Lk2PzN0rTgY7sWb1XcJmH5dFaE4uKo6iRj9S']) expect(text).not.toContain(secret);
  });

  it('refuses the SARIF of another tool by name', async () => {
    const other = JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'semgrep' } }, results: [] }] });
    await expect(parseAll(gitleaks, createInput('semgrep.sarif', Buffer.from(other)))).rejects.toThrow(/a SARIF log of semgrep: Blastmap reads gitleaks' SARIF only/);
  });
});

describe('trufflehog v2 and arrays', () => {
  it('reads v2 JSON-lines: one leak per string found, with path, commit and date; the diff is never read', async () => {
    const input = createInput('v2.json', readFileSync(fixture('trufflehog-v2-many.jsonl')));
    expect(detectImporter(input).format).toBe('trufflehog');
    const f = await parseAll(trufflehog, input);
    const leaks = f.nodes.filter((n) => n.kind === 'leak');
    expect(leaks.length).toBeGreaterThan(10);
    const rsa = leaks.find((l) => l.props?.['rule'] === 'RSA private key')!;
    expect(rsa.props).toMatchObject({ scanner: 'trufflehog', file: 'scripts/searchOrg.py', commit: '466cdc94b4fcb0acd1904726a9b4de5c26e9125d', date: '2019-05-06T07:47:40' });
    expect(f.nodes.find((n) => n.kind === 'secret_credential' && n.props?.['secretType'] === 'Private key')).toBeDefined();
    // Lines with two strings found are two leaks, placed by index.
    expect(leaks.some((l) => /^line \d+, stringsFound\[1\]$/.test(String(l.props?.['at'])))).toBe(true);
    expect(JSON.stringify(f)).not.toContain('get_org_repos');
  });

  it('reads v3 findings saved as a JSON array: verified AWS keys and who they sign in as', async () => {
    const input = createInput('trufflehog.json', readFileSync(fixture('trufflehog-v3-array.json')));
    expect(detectImporter(input).format).toBe('trufflehog');
    const f = await parseAll(trufflehog, input);
    expect(f.edges.filter((e) => e.kind === 'AUTHENTICATES_AS').map((e) => [e.from, e.to])).toEqual([
      ['aws:key:AKIAQYLPMN5HHHFPZAM2', 'arn:aws:iam::052310077262:user/canarytokens.com@@c20nnjzlioibnaxvt392i9ope'],
      ['aws:key:AKIAYVP4CIPPERUVIFXG', 'arn:aws:iam::595918472158:user/canarytokens.com@@mirux23ppyky6hx3l6vclmhnj'],
    ]);
    const uri = f.nodes.find((n) => n.kind === 'secret_credential')!;
    expect(uri.props).toMatchObject({ uriScheme: 'https', uriUser: 'admin', uriHost: 'the-internet.herokuapp.com' });
    expect(f.nodes.find((n) => n.kind === 'leak' && n.props?.['at'] === '$[2]')?.props).toMatchObject({ date: '2022-06-16T17:27:56Z', line: 3, file: 'keys' });
    const docker = await parse(trufflehog, 'trufflehog-v3-array-docker.json');
    expect(docker.nodes.filter((n) => n.kind === 'leak').length).toBeGreaterThan(10);
    expect(docker.nodes.find((n) => n.kind === 'leak')?.props).toMatchObject({ repository: 'golang', file: '/usr/local/go/misc/trace/trace_viewer_full.html' });
  });
});

describe('the new shapes keep secrets out of the case', () => {
  it('stores none of the SARIF, v2 or array reports\' secret values', async () => {
    const path = tempCase();
    const engine = openEngine(path, { create: true });
    await engine.importFiles({ files: ['scenario-gitleaks-known-secrets.sarif', 'trufflehog-v2-many.jsonl', 'trufflehog-v3-array.json'].map((n) => ({ path: fixture(n) })) });
    engine.close();
    const blob = readFileSync(path);
    for (const secret of ['ghp_Zx9Qm2Lr7Tb4Vn1Kc8Wd3Hs6Yp0Fj5Ga2UeQ', 'Q8v3Lk2PzN0rTgY7sWb1XcJmH5dFaE4uKo6iRj9S', "secret = '9ed54617547cfca783e0f81f8dc5c927e3d1e345'", 'AKIAQYLPMN5HHHFPZAM21tUm636uS1yOEcfP5pvfqJ/ml36mF7AkyHsEU0IU', 'https://admin:admin@the-internet.herokuapp.com']) {
      expect(blob.includes(Buffer.from(secret)), secret).toBe(false);
    }
  });
});

describe('gitleaks before v7', () => {
  it('reads a report without lineNumber (v4–v6: offender, rule, commit, file) as v7 reads', async () => {
    const bytes = readFileSync(fixture('gitleaks-pre-v7-report.json'));
    expect(detectImporter(createInput('report.json', bytes)).format).toBe('gitleaks');
    const f = await parse(gitleaks, 'gitleaks-pre-v7-report.json');
    const leak = f.nodes.find((n) => n.kind === 'leak');
    expect(leak?.props).toMatchObject({ rule: 'Asymmetric Private Key', file: 'cert-key.pem', commit: '9afb561b348d59eceb6dc82c0061fb07bee09f7b', author: 'John Doe' });
    expect(leak?.props).not.toHaveProperty('line');
  });
});
