import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/fixtures.js';

/** A source file a newcomer can read whole: none in src/ over 400 lines (generated code aside). */
const MAX_LINES = 400;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('source size', () => {
  it(`no file in src/ is longer than ${MAX_LINES} lines`, () => {
    const files = sources(path.join(REPO, 'src'));
    expect(files.length).toBeGreaterThan(150);
    const long = files
      .map((f) => ({ file: path.relative(REPO, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);
    expect(long).toEqual([]);
  });
});
