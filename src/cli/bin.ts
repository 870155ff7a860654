#!/usr/bin/env node
import { runCli } from './main.js';

// A reader that stops early (`blastmap … | head`) closes the pipe: that ends the output, it is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2));
