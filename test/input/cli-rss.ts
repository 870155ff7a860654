// Runs one CLI command in this process and prints, as the last line, its exit code, its output and the process's
// peak RSS: `node --import tsx test/input/cli-rss.ts import f.json --case c.blastmap`.
import { runCli } from '../../src/cli/main.js';

let out = '';
let err = '';
const code = await runCli(process.argv.slice(2), { out: (t) => (out += t), err: (t) => (err += t), errIsTty: false });
process.stdout.write(`\n${JSON.stringify({ code, out, err, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
