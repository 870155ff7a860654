// Preload for a measured process: prints its peak RSS on stderr when it exits (`node --import …/peak-rss.mjs app.js`).
import { writeSync } from 'node:fs';

process.on('exit', () => writeSync(2, `\nPEAK_RSS_KB ${process.resourceUsage().maxRSS}\n`));
// A server stopped by SIGTERM exits through its own handler; give it one if it has none yet.
process.once('SIGTERM', () => setTimeout(() => process.exit(0), 5_000).unref());
