import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { VigilError } from '../common/errors.js';
import { schemaErrors } from '../matcher/json-schema.js';
import type { Benchmark, BenchmarkSection, Condition, Expect } from './model.js';
import { READERS } from './readers/index.js';

/**
 * Loading a benchmark: a YAML file, or a directory of them (one per section, read in
 * name order). Each file is validated against schemas/config-check.schema.json; the
 * first problem is a VigilError INVALID_INPUT naming the file, the line and the
 * field. Expectations a fact kind cannot be compared with, duplicate ids and bad
 * regular expressions are refused the same way.
 */

const MAX_BENCHMARK_FILE = 1024 * 1024;

/** The benchmark shipped with Vigil: data/checks/debian12 (dist/checks/ and src/checks/ sit two levels below). */
export const DEFAULT_BENCHMARK = new URL('../../data/checks/debian12/', import.meta.url).pathname.replace(/\/$/, '');

function pointerPath(pointer: string): string[] {
  return pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function fail(file: string, line: number | undefined, pointer: string, message: string): never {
  throw new VigilError('INVALID_INPUT', `${file}${line ? `:${line}` : ''}: ${pointer || '(top level)'}: ${message}`);
}

function checkExpect(file: string, at: string, e: Expect, kind: keyof typeof READERS, lineOf: (p: string) => number | undefined): void {
  const allowed = READERS[kind].expects;
  for (const key of Object.keys(e)) if (!allowed.includes(key)) fail(file, lineOf(`${at}/${key}`), `${at}/${key}`, `a ${kind} fact cannot be compared with ${key} (it takes ${allowed.join(', ')})`);
  if (e.matches !== undefined) {
    try {
      new RegExp(e.matches);
    } catch (err) {
      fail(file, lineOf(`${at}/matches`), `${at}/matches`, `not a regular expression: ${(err as Error).message}`);
    }
  }
}

export function loadSectionText(text: string, file: string): BenchmarkSection {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) fail(file, err.linePos?.[0]?.line ?? counter.linePos(err.pos[0]).line, '', `not YAML: ${err.message.split('\n')[0]}`);
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const lineOf = (pointer: string): number | undefined => {
    const parts = pointerPath(pointer);
    for (let n = parts.length; n >= 0; n--) {
      const node = doc.getIn(parts.slice(0, n).map((p) => (/^\d+$/.test(p) ? Number(p) : p)), true);
      if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const errors = schemaErrors('config-check.schema.json', data);
  if (errors[0]) fail(file, lineOf(errors[0].pointer), errors[0].pointer, errors[0].message);
  const section = data as Omit<BenchmarkSection, 'file'>;
  const conds: Array<[string, Condition]> = section.applies_if ? [['/applies_if', section.applies_if]] : [];
  section.checks.forEach((c, i) => {
    conds.push([`/checks/${i}`, c]);
    if (c.applies_if) conds.push([`/checks/${i}/applies_if`, c.applies_if]);
    if (!c.id.startsWith(`${section.section}.`)) fail(file, lineOf(`/checks/${i}/id`), `/checks/${i}/id`, `${c.id} is not in section ${section.section}`);
  });
  for (const [at, c] of conds) checkExpect(file, `${at}/expect`, c.expect, c.fact.kind, lineOf);
  return { file, ...section };
}

export function loadBenchmark(source: string): Benchmark {
  let st;
  try {
    st = statSync(source);
  } catch {
    throw new VigilError('NOT_FOUND', `benchmark ${source} does not exist`);
  }
  const files = st.isDirectory()
    ? readdirSync(source).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(source, f))
    : [source];
  if (!files.length) throw new VigilError('INVALID_INPUT', `benchmark ${source}: no .yaml file in the directory`);
  const sections = files.map((f) => {
    const size = statSync(f).size;
    if (size > MAX_BENCHMARK_FILE) throw new VigilError('INVALID_INPUT', `${f}: ${size} bytes, over the ${MAX_BENCHMARK_FILE}-byte limit of a benchmark file`);
    return loadSectionText(readFileSync(f, 'utf8'), st.isDirectory() ? path.relative(source, f) : path.basename(f));
  });
  const seen = new Map<string, string>();
  for (const s of sections) for (const c of s.checks) {
    const other = seen.get(c.id);
    if (other) throw new VigilError('INVALID_INPUT', `${s.file}: check ${c.id} is already defined in ${other}`);
    seen.set(c.id, s.file);
  }
  return { name: path.basename(source).replace(/\.ya?ml$/, ''), source, sections };
}
