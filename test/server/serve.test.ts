import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serveCase } from '../../src/server/serve.js';
import { tempCase, tempDir } from '../helpers.js';

describe('serveCase', () => {
  it('opens the browser through a private redirect page, so the token is never on a command line', async () => {
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((r) => (stop = r));
    let out = '';
    let launched: string | undefined;
    const serving = serveCase({
      casePath: tempCase(),
      open: true,
      rendererDir: tempDir(),
      out: (t) => (out += t),
      err: () => undefined,
      stopped,
      launch: (target) => (launched = target),
    });
    await expect.poll(() => launched).toBeDefined();
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64})\n$/.exec(out)![1]!;
    expect(launched).toMatch(/^file:\/\//);
    expect(launched).not.toContain('token');
    const page = fileURLToPath(launched!);
    expect(readFileSync(page, 'utf8')).toContain(`url=${url}`);
    expect(statSync(page).mode & 0o077).toBe(0);
    stop();
    await serving;
    expect(existsSync(page)).toBe(false);
  });
});
