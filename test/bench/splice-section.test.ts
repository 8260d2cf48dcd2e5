import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spliceSection } from '../../src/bench/trivy.js';
import { tempDir } from '../helpers/fixtures.js';

const tmp = tempDir('vigil-splice-');
afterAll(tmp.cleanup);

describe('a benchmark section written into BENCHMARKS.md', () => {
  const file = path.join(tmp.dir, 'BENCHMARKS.md');
  const base = ['# Benchmarks', '', '## A', 'a', '', '## B', 'b', ''];

  it('replaces the section of its heading and keeps the others', () => {
    writeFileSync(file, base.join('\n'));
    spliceSection(file, ['## A', 'a2', ''], '## B');
    expect(readFileSync(file, 'utf8').split('\n')).toEqual(['# Benchmarks', '', '## A', 'a2', '', '## B', 'b', '']);
  });

  it('puts a new section before the heading it is given, or before the first section without one', () => {
    writeFileSync(file, base.join('\n'));
    spliceSection(file, ['## N', 'n', ''], '## B');
    expect(readFileSync(file, 'utf8').split('\n')).toEqual(['# Benchmarks', '', '## A', 'a', '', '## N', 'n', '', '## B', 'b', '']);
    writeFileSync(file, base.join('\n'));
    spliceSection(file, ['## N', 'n', ''], '## Missing');
    expect(readFileSync(file, 'utf8').split('\n')).toEqual(['# Benchmarks', '', '## N', 'n', '', '## A', 'a', '', '## B', 'b', '']);
  });
});
