import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { LOG_FIELD_SYNONYMS, LOG_FIELDS } from '../../src/common/log.js';
import { REPO } from '../helpers/fixtures.js';
import { unknownLogFields } from '../helpers/log-fields.js';

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'child']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Every key of an object literal passed to a logger (`log.info({…})`, `.child({…})`) in src/. */
function loggedKeys(): Array<{ key: string; where: string }> {
  const out: Array<{ key: string; where: string }> = [];
  for (const file of sources(path.join(REPO, 'src'))) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      // `log.info({…})`, and `log[level]({…})` with the level chosen at run time.
      const callee = ts.isCallExpression(n) ? n.expression : undefined;
      const level = callee && ts.isPropertyAccessExpression(callee) ? callee.name.text : callee && ts.isElementAccessExpression(callee) ? 'info' : undefined;
      if (ts.isCallExpression(n) && callee && (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) && level && LEVELS.has(level)) {
        const target = callee.expression.getText(sf);
        const arg = n.arguments[0];
        if (/log/i.test(target) && arg && ts.isObjectLiteralExpression(arg)) {
          for (const p of arg.properties) {
            if (ts.isSpreadAssignment(p) || !p.name) continue;
            const key = p.name.getText(sf).replace(/^['"]|['"]$/g, '');
            out.push({ key, where: `${path.relative(REPO, file)}:${sf.getLineAndCharacterOfPosition(p.getStart()).line + 1}` });
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

describe('log field vocabulary', () => {
  it('every key a logger is given in src/ is in the vocabulary, none is a synonym of one', () => {
    const keys = loggedKeys();
    expect(keys.length).toBeGreaterThan(100);
    const bad = keys.filter((k) => !Object.hasOwn(LOG_FIELDS, k.key)).map((k) => `${k.where} ${k.key}${Object.hasOwn(LOG_FIELD_SYNONYMS, k.key) ? ` (use ${LOG_FIELD_SYNONYMS[k.key]})` : ''}`);
    expect(bad).toEqual([]);
    // The core names are in use, each in more than one place.
    for (const core of ['host', 'job', 'command', 'err']) expect(keys.filter((k) => k.key === core).length, core).toBeGreaterThan(1);
    expect(keys.some((k) => k.key === 'component')).toBe(true);
  });

  it('the vocabulary is snake case and holds no synonym', () => {
    for (const k of Object.keys(LOG_FIELDS)) expect(k).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    for (const s of Object.keys(LOG_FIELD_SYNONYMS)) expect(Object.hasOwn(LOG_FIELDS, s), s).toBe(false);
  });

  it('a log line with a key outside the vocabulary is found, with the name to use', () => {
    const lines = ['{"level":30,"time":1,"pid":2,"hostname":"h","name":"vigil","component":"server","agent":"a1","msg":"x"}', 'not json', '{"level":30,"msg":"y","job":"7"}'].join('\n');
    expect(unknownLogFields(lines)).toEqual([{ key: 'agent', line: expect.stringContaining('"agent":"a1"'), use: 'host' }]);
  });
});
