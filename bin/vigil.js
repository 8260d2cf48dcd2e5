#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { main } from '../dist/cli/main.js';

// Benchmarks read the process's own peak memory and CPU from here.
if (process.env.VIGIL_RUSAGE_FILE) {
  const file = process.env.VIGIL_RUSAGE_FILE;
  process.on('exit', () => writeFileSync(file, JSON.stringify(process.resourceUsage())));
}

// A closed pipe (`vigil sbom | head`) ends the output, not the program with a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // Only a failure outside every command's own handling reaches here: internal (70).
    process.stderr.write(`vigil: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);
