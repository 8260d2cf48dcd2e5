import path from 'node:path';
import type { FactReader } from '../fact-reader.js';
import type { Evidence, Fact, FileKeyFact, Syntax } from '../model.js';
import { FIRST_WINS, normaliseKey, parseLine } from './config-syntax.js';
import { globInRoot, readConfig } from './read-text.js';

/**
 * A key of a config file, with the program's own precedence: sshd keeps the first
 * value it reads, following Include (globs, relative to /etc/ssh) where it appears;
 * settings inside Match blocks apply only to matching connections and are not
 * evaluated (a note says how many blocks were skipped). The other syntaxes let a
 * later line win; systemd-style files read their drop-in directories after the main
 * file (one name in several directories: the first directory listed wins), apt reads
 * apt.conf.d before apt.conf.
 */

const MAX_INCLUDE_DEPTH = 16;

interface Walk {
  root: string;
  spec: FileKeyFact;
  key: string;
  hit?: { value: string; ev: Evidence };
  read: string[];
  matchBlocks: number;
  unsupported: number;
}

async function readFile(w: Walk, rel: string, depth: number, inMatch: boolean): Promise<boolean> {
  const text = await readConfig(w.root, rel);
  if (text === undefined) return inMatch;
  w.read.push(rel);
  const syntax: Syntax = w.spec.syntax;
  let section: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const item = parseLine(syntax, lines[i]!);
    if (!item) continue;
    switch (item.type) {
      case 'section':
        section = item.name;
        break;
      case 'match':
        inMatch = true;
        w.matchBlocks++;
        break;
      case 'include': {
        if (depth >= MAX_INCLUDE_DEPTH) throw new Error(`${rel}:${i + 1}: Include nested deeper than ${MAX_INCLUDE_DEPTH}`);
        for (const pat of item.pattern.split(/\s+/).filter(Boolean)) {
          const abs = pat.startsWith('/') ? pat : path.posix.join('/etc/ssh', pat);
          for (const f of (await globInRoot(w.root, abs)).sort()) inMatch = await readFile(w, f, depth + 1, inMatch);
        }
        break;
      }
      case 'unsupported':
        w.unsupported++;
        break;
      case 'set': {
        if (inMatch) break;
        if (syntax === 'systemd' && w.spec.section !== undefined && section !== w.spec.section) break;
        if (normaliseKey(syntax, item.key) !== w.key) break;
        if (FIRST_WINS[syntax] && w.hit) break;
        w.hit = { value: item.value, ev: { path: rel, line: i + 1, text: lines[i]!.trim().slice(0, 200) } };
      }
    }
  }
  return inMatch;
}

/** Drop-in files of the listed directories, by name, the first directory holding a name winning. */
async function dropIns(root: string, dirs: readonly string[], syntax: Syntax): Promise<string[]> {
  const byName = new Map<string, string>();
  for (const dir of dirs)
    for (const f of await globInRoot(root, syntax === 'apt' ? `${dir}/*` : `${dir}/*.conf`)) {
      const name = path.posix.basename(f);
      // apt.conf.d: apt reads names of letters, digits, _, - and . that have no extension or .conf.
      if (syntax === 'apt' && !(/^[A-Za-z0-9_.-]+$/.test(name) && (!name.includes('.') || name.endsWith('.conf')))) continue;
      if (!byName.has(name)) byName.set(name, f);
    }
  return [...byName.keys()].sort().map((n) => byName.get(n)!);
}

async function read(spec: FileKeyFact, ctx: { root: string }): Promise<Fact> {
  const w: Walk = { root: ctx.root, spec, key: normaliseKey(spec.syntax, spec.key), read: [], matchBlocks: 0, unsupported: 0 };
  const extra = spec.drop_ins ? await dropIns(ctx.root, spec.drop_ins, spec.syntax) : [];
  const order = spec.syntax === 'apt' ? [...extra, spec.path] : [spec.path, ...extra];
  for (const f of order) await readFile(w, f, 0, false);
  const notes: string[] = [];
  if (w.matchBlocks) notes.push(`${w.matchBlocks} Match block(s): their settings apply only to matching connections and are not evaluated`);
  if (w.unsupported) notes.push(`${w.unsupported} line(s) not in the ${spec.syntax} syntax Vigil reads were skipped`);
  if (w.read.length === 0) notes.push(`${order.join(', ')}: not found`);
  else if (!w.hit) notes.push(`${spec.key} is set in none of ${w.read.join(', ')}`);
  if (w.hit) return { value: w.hit.value, evidence: [w.hit.ev], ...(notes.length ? { notes } : {}) };
  if (spec.default !== undefined) notes.push(`the program's default ${JSON.stringify(spec.default)} applies (from the check)`);
  return { ...(spec.default !== undefined ? { value: spec.default } : {}), evidence: w.read.map((p) => ({ path: p, text: `${spec.key} not set` })), notes };
}

export const fileKeyReader: FactReader<FileKeyFact> = {
  kind: 'file_key',
  expects: ['equals', 'one_of', 'not_one_of', 'at_least', 'at_most', 'matches', 'present'],
  read,
};
