import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleRenderBench, consoleRenderSection } from './console-render.js';
import { spliceSection } from './trivy.js';

/**
 * `node --expose-gc dist/bench/console-render-only.js` (`npm run bench:console`): only
 * the web console's section of BENCHMARKS.md, replaced in place (or put before the
 * signed commands' section the first time), the rest of the file kept.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BEFORE = '## Signed commands and patch jobs';

consoleRenderBench(REPO)
  .then((r) => {
    const lines = consoleRenderSection(r);
    const file = path.join(REPO, 'BENCHMARKS.md');
    const text = readFileSync(file, 'utf8').split('\n');
    if (text.includes(lines[0]!) || !text.includes(BEFORE)) spliceSection(file, lines);
    else {
      text.splice(text.indexOf(BEFORE), 0, ...lines);
      writeFileSync(file, text.join('\n'));
    }
    process.stdout.write(lines.join('\n'));
  })
  .catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
