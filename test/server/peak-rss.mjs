// Preload for a measured process: prints its peak RSS and CPU time on stderr when it exits
// (`node --import …/peak-rss.mjs app.js`).
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeSync(2, `\nPEAK_RSS_KB ${usage.maxRSS}\nCPU_MS ${Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)}\n`);
});
// A server stopped by SIGTERM exits through its own handler; give it one if it has none yet.
process.once('SIGTERM', () => setTimeout(() => process.exit(0), 5_000).unref());
