// `blastmap serve` for the e2e suite: the global setup's servers, and a spec's own (an empty case).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** Starts `blastmap serve` on a free port and waits for the URL it prints. */
export async function serve(casePath: string): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, ['dist/blastmap.js', 'serve', '--case', casePath, '--port', '0', '--no-open'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`blastmap serve printed no URL within 20 s: ${out}`)), 20_000);
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    server.on('exit', (code) => reject(new Error(`blastmap serve exited with ${code}: ${out}`)));
  });
  return { server, url };
}
