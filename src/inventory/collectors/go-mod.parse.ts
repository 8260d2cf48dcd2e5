/**
 * `go.mod` and `go.sum` as the Go toolchain reads them (golang.org/x/mod/modfile):
 * one directive per line or a parenthesised block of them, `//` comments, quoted
 * ("…", `…`) or bare tokens, a `// indirect` comment marking a requirement the main
 * module does not import itself. Pure text → records; a bad line is reported with
 * its number and skipped, the rest of the file is still read.
 */

export interface GoRequire {
  path: string;
  version: string;
  indirect: boolean;
  line: number;
}

export interface GoReplace {
  oldPath: string;
  oldVersion?: string;
  newPath: string;
  /** Absent when the replacement is a local directory. */
  newVersion?: string;
  line: number;
}

export interface GoModFile {
  module?: string;
  go?: string;
  toolchain?: string;
  requires: GoRequire[];
  replaces: GoReplace[];
  errors: string[];
}

const MAX_LINES = 100_000;
const MAX_ERRORS = 50;
const MAX_TOKEN = 4096;
/** Canonical module versions (semver with a `v`, pseudo-versions, `+incompatible`). */
const VERSION_RE = /^v(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+incompatible)?$/;
/** Module paths: printable, no spaces or quotes, no empty or dot-only elements. */
const PATH_RE = /^[A-Za-z0-9._~!$&'()*+,;=:@%/-]+$/;
const GO_VERSION_RE = /^[1-9][0-9]*(?:\.(?:0|[1-9][0-9]*)){1,2}(?:(?:rc|beta)[1-9][0-9]*)?$/;
const DIRECTIVES = new Set(['module', 'go', 'toolchain', 'godebug', 'require', 'exclude', 'replace', 'retract', 'tool', 'ignore']);

export function isModulePath(p: string): boolean {
  return p.length > 0 && p.length <= 500 && PATH_RE.test(p) && !p.startsWith('/') && !p.endsWith('/') && !p.split('/').some((e) => e === '' || e === '.' || e === '..');
}

export function isModuleVersion(v: string): boolean {
  return v.length <= 256 && VERSION_RE.test(v);
}

interface Line {
  tokens: string[];
  comment?: string;
  number: number;
}

/** Splits one line into tokens and its trailing `//` comment; throws on an unterminated quote. */
function lex(text: string, number: number): Line {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      return { tokens, comment: text.slice(i + 2).trim(), number };
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      let out = '';
      while (j < text.length && text[j] !== c) {
        if (c === '"' && text[j] === '\\' && j + 1 < text.length) {
          out += text[j + 1];
          j += 2;
        } else out += text[j++];
      }
      if (j >= text.length) throw new Error('unterminated quoted string');
      tokens.push(out);
      i = j + 1;
    } else if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
    } else {
      let j = i;
      while (j < text.length && !' \t\r"`()'.includes(text[j]!) && !(text[j] === '/' && text[j + 1] === '/')) j++;
      tokens.push(text.slice(i, j));
      i = j;
    }
    if (tokens.length && tokens[tokens.length - 1]!.length > MAX_TOKEN) throw new Error(`a token longer than ${MAX_TOKEN} characters`);
  }
  return { tokens, number };
}

/** x/mod's rule: the comment is exactly `indirect`, or begins `indirect;`. */
function isIndirect(comment: string | undefined): boolean {
  if (comment === undefined) return false;
  const f = comment.split(/\s+/).filter(Boolean);
  return (f.length === 1 && f[0] === 'indirect') || (f.length > 1 && f[0] === 'indirect;');
}

export function parseGoMod(text: string): GoModFile {
  const out: GoModFile = { requires: [], replaces: [], errors: [] };
  const bad = (n: number, msg: string): void => {
    if (out.errors.length < MAX_ERRORS) out.errors.push(`line ${n}: ${msg}`);
    else if (out.errors.length === MAX_ERRORS) out.errors.push('more bad lines not listed');
  };
  const raw = text.split('\n');
  if (raw.length > MAX_LINES) bad(MAX_LINES, `more than ${MAX_LINES} lines; the rest was not read`);
  let block: { verb: string; line: number } | undefined;

  const directive = (verb: string, args: string[], line: Line): void => {
    const n = line.number;
    switch (verb) {
      case 'module':
        if (args.length !== 1 || !isModulePath(args[0]!)) return bad(n, 'module needs one module path');
        out.module = args[0];
        return;
      case 'go':
        if (args.length !== 1 || !GO_VERSION_RE.test(args[0]!)) return bad(n, `invalid go version ${JSON.stringify(args.join(' ').slice(0, 60))}`);
        out.go = args[0];
        return;
      case 'toolchain':
        if (args.length !== 1) return bad(n, 'toolchain needs one name');
        out.toolchain = args[0];
        return;
      case 'require': {
        if (args.length !== 2) return bad(n, `require needs a module path and a version, got ${args.length} words`);
        const [p, v] = args as [string, string];
        if (!isModulePath(p)) return bad(n, `invalid module path ${JSON.stringify(p.slice(0, 120))}`);
        if (!isModuleVersion(v)) return bad(n, `invalid version ${JSON.stringify(v.slice(0, 120))} of ${p}`);
        out.requires.push({ path: p, version: v, indirect: isIndirect(line.comment), line: n });
        return;
      }
      case 'replace': {
        const arrow = args.indexOf('=>');
        const left = arrow < 0 ? [] : args.slice(0, arrow);
        const right = arrow < 0 ? [] : args.slice(arrow + 1);
        if (arrow < 0 || left.length < 1 || left.length > 2 || right.length < 1 || right.length > 2) return bad(n, 'replace needs OLD [VERSION] => NEW [VERSION]');
        if (!isModulePath(left[0]!) || (left[1] !== undefined && !isModuleVersion(left[1]))) return bad(n, `invalid replaced module ${JSON.stringify(left.join(' ').slice(0, 120))}`);
        const local = right.length === 1;
        if (local ? !/^(?:\.\.?\/|\/)/.test(right[0]!) && !/^\.\.?$/.test(right[0]!) : !isModulePath(right[0]!) || !isModuleVersion(right[1]!)) {
          return bad(n, `invalid replacement ${JSON.stringify(right.join(' ').slice(0, 120))}`);
        }
        const r: GoReplace = { oldPath: left[0]!, newPath: right[0]!, line: n };
        if (left[1] !== undefined) r.oldVersion = left[1];
        if (!local) r.newVersion = right[1]!;
        out.replaces.push(r);
        return;
      }
      default:
        // exclude, retract, godebug, tool, ignore: not what is built.
        return;
    }
  };

  for (let i = 0; i < raw.length && i < MAX_LINES; i++) {
    let line: Line;
    try {
      line = lex(raw[i]!, i + 1);
    } catch (err) {
      bad(i + 1, (err as Error).message);
      continue;
    }
    const t = line.tokens;
    if (t.length === 0) continue;
    if (block) {
      if (t.length === 1 && t[0] === ')') {
        block = undefined;
        continue;
      }
      directive(block.verb, t, line);
      continue;
    }
    const verb = t[0]!;
    if (!DIRECTIVES.has(verb)) {
      bad(line.number, `unknown directive ${JSON.stringify(verb.slice(0, 60))}`);
      continue;
    }
    if (t.length === 2 && t[1] === '(') {
      block = { verb, line: line.number };
      continue;
    }
    if (t[1] === '(' && t[t.length - 1] === ')') {
      // `require ( a v1 )` on one line
      if (t.length > 3) directive(verb, t.slice(2, -1), line);
      continue;
    }
    directive(verb, t.slice(1), line);
  }
  if (block) bad(block.line, `${block.verb} block is never closed`);
  return out;
}

/**
 * The module versions a go.sum lists, each module's last one (go writes go.sum sorted,
 * so the highest), with the `/go.mod` suffix of go.mod-only hashes dropped.
 */
export function parseGoSum(text: string): { versions: Map<string, string>; errors: string[] } {
  const versions = new Map<string, string>();
  const errors: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && i < MAX_LINES; i++) {
    const f = lines[i]!.trim().split(/\s+/).filter(Boolean);
    if (f.length === 0) continue;
    const version = f[1]?.replace(/\/go\.mod$/, '');
    if (f.length !== 3 || !isModulePath(f[0]!) || !version || !isModuleVersion(version)) {
      if (errors.length < MAX_ERRORS) errors.push(`go.sum line ${i + 1}: expected MODULE VERSION HASH`);
      continue;
    }
    versions.set(f[0]!, version);
  }
  return { versions, errors };
}

export interface GoModModule {
  path: string;
  version: string;
  indirect: boolean;
  evidence: 'go.mod' | 'go.sum';
  /** The module path the go.mod required, when a replace put another module in its place. */
  replaces?: string;
  requiredVersion?: string;
}

/**
 * The modules a go.mod builds with: its requirements after its replace directives (a
 * replacement by a local directory is not a module anyone publishes, so it is left
 * out). A go.mod without any `// indirect` requirement was written by Go before 1.17,
 * which did not list the whole build list: it is completed from go.sum, each module's
 * highest version there, marked indirect.
 */
export function goModModules(mod: GoModFile, sum?: Map<string, string>): GoModModule[] {
  const byPath = new Map<string, GoModModule>();
  for (const r of mod.requires) byPath.set(r.path, { path: r.path, version: r.version, indirect: r.indirect, evidence: 'go.mod' });
  for (const rep of mod.replaces) {
    const old = byPath.get(rep.oldPath);
    if (!old || old.evidence !== 'go.mod' || (rep.oldVersion !== undefined && rep.oldVersion !== old.version)) continue;
    byPath.delete(rep.oldPath);
    if (rep.newVersion === undefined) continue;
    byPath.set(rep.newPath, { path: rep.newPath, version: rep.newVersion, indirect: old.indirect, evidence: 'go.mod', replaces: rep.oldPath, requiredVersion: old.version });
  }
  if (sum && !mod.requires.some((r) => r.indirect)) {
    for (const [p, v] of sum) {
      if (p === mod.module || byPath.has(p) || mod.replaces.some((r) => r.oldPath === p)) continue;
      byPath.set(p, { path: p, version: v, indirect: true, evidence: 'go.sum' });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
