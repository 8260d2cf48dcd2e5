import { type ByteSource, OutOfRangeError } from '../../common/byte-source.js';
import type { Component } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';
import { ElfError, type ElfFile, isElf, PF_W, PF_X, PT_LOAD, readAddress, readElf, readNotes } from '../elf.js';

/**
 * Build information embedded by the Go toolchain (what `go version -m` prints): the
 * `\xff Go buildinf:` header in the data segment, the Go ≥ 1.18 inline strings or
 * the older pointers to them, then the module text between two 16-byte sentinels.
 */

export const COLLECTOR_NAME = 'go-binary';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_LEN = 32;
const ALIGN = 16;
const SCAN_WINDOW = 64 * 1024;
const MAX_VERSION_BYTES = 1024;
const MAX_MODINFO_BYTES = 16 * 1024 * 1024;
const GO_NOTE_BUILD_ID = 4;

export type GoProbe =
  | { kind: 'not-go'; reason: string }
  | { kind: 'broken'; code: 'corrupt' | 'unsupported'; message: string }
  | { kind: 'go'; goVersion: string; modinfo: string; format: 'inline' | 'pointer' };

class BuildInfoError extends Error {}

function uvarint(buf: Buffer, at: number): { value: bigint; next: number } {
  let value = 0n;
  for (let i = 0; i < 10 && at + i < buf.length; i++) {
    const b = buf[at + i]!;
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (b < 0x80) return { value, next: at + i + 1 };
  }
  throw new BuildInfoError('build info string length is not a valid varint');
}

async function readExact(src: ByteSource, offset: number, length: number, what: string): Promise<Buffer> {
  try {
    return await src.read(offset, length);
  } catch (err) {
    if (err instanceof OutOfRangeError) throw new BuildInfoError(`${what} runs past the end of the file (offset ${offset}, ${length} bytes, file is ${src.size} bytes)`);
    throw err;
  }
}

/** Strings stored right after the header, each prefixed by its varint length (Go ≥ 1.18). */
async function inlineStrings(src: ByteSource, fileOffset: number): Promise<[string, Buffer]> {
  const strings: Buffer[] = [];
  let at = fileOffset + HEADER_LEN;
  for (const [what, max] of [['Go version', MAX_VERSION_BYTES], ['module information', MAX_MODINFO_BYTES]] as const) {
    const head = await readExact(src, at, Math.min(10, src.size - at), `${what} length`);
    const { value, next } = uvarint(head, 0);
    if (value > BigInt(max)) throw new BuildInfoError(`${what} claims ${value} bytes, more than the ${max}-byte limit`);
    strings.push(await readExact(src, at + next, Number(value), what));
    at += next + Number(value);
  }
  return [strings[0]!.toString('utf8'), strings[1]!];
}

/** Pointers to Go string headers (address, length), read through the program headers (Go < 1.18). */
async function pointerStrings(src: ByteSource, elf: ElfFile, header: Buffer): Promise<[string, Buffer]> {
  const ptrSize = header[14]!;
  if (ptrSize !== 4 && ptrSize !== 8) throw new BuildInfoError(`build info pointer size ${ptrSize} is neither 4 nor 8`);
  const le = header[15] === 0;
  const ptr = (b: Buffer, at: number): number => {
    if (ptrSize === 4) return le ? b.readUInt32LE(at) : b.readUInt32BE(at);
    const v = le ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new BuildInfoError(`build info pointer 0x${v.toString(16)} is out of range`);
    return Number(v);
  };
  const readString = async (addr: number, what: string, max: number): Promise<Buffer> => {
    const hdr = await readAddress(src, elf, addr, 2 * ptrSize);
    const len = ptr(hdr, ptrSize);
    if (len > max) throw new BuildInfoError(`${what} claims ${len} bytes, more than the ${max}-byte limit`);
    return len === 0 ? Buffer.alloc(0) : readAddress(src, elf, ptr(hdr, 0), len);
  };
  const version = await readString(ptr(header, 16), 'Go version', MAX_VERSION_BYTES);
  const modinfo = await readString(ptr(header, 16 + ptrSize), 'module information', MAX_MODINFO_BYTES);
  return [version.toString('utf8'), modinfo];
}

/** Where Go puts the header: its own section, else the start of the first writable, non-executable segment. */
function dataStart(elf: ElfFile): number | undefined {
  const sec = elf.sections.find((s) => s.name === '.go.buildinfo');
  if (sec && sec.addr) return sec.addr;
  return elf.segments.find((p) => p.type === PT_LOAD && (p.flags & (PF_X | PF_W)) === PF_W)?.vaddr;
}

async function findHeader(src: ByteSource, elf: ElfFile): Promise<{ header: Buffer; fileOffset: number } | undefined> {
  const start = dataStart(elf);
  if (start === undefined) return undefined;
  const window = await readAddress(src, elf, start, SCAN_WINDOW, true);
  for (let i = 0; i + HEADER_LEN <= window.length; i += ALIGN) {
    if (window[i] !== 0xff || !window.subarray(i, i + MAGIC.length).equals(MAGIC)) continue;
    const seg = elf.segments.find((p) => p.type === PT_LOAD && start >= p.vaddr && start < p.vaddr + p.filesz)!;
    return { header: window.subarray(i, i + HEADER_LEN), fileOffset: seg.offset + (start - seg.vaddr) + i };
  }
  return undefined;
}

/** Why a file whose headers name nothing of Go's is not probed further. */
export const NO_GO_MARK = 'no Go section or note';

/** Whether the sections or notes of an ELF file name Go: its build ID note, build information or pclntab section. */
export function hasGoMark(sections: readonly string[], notes: ReadonlyArray<{ name: string; type: number }>): boolean {
  return notes.some((n) => n.name === 'Go' && n.type === GO_NOTE_BUILD_ID) || sections.some((s) => s === '.go.buildinfo' || s === '.note.go.buildid' || s === '.gopclntab');
}

/** Section headers that were read and name nothing of Go's, and no Go note: not Go, without scanning the data segment. */
export function notGoByHeaders(sections: readonly string[], sectionError: string | undefined, goMark: boolean): boolean {
  return !goMark && sections.length > 0 && !sectionError;
}

/** Is this a Go executable, and if so what build information does it carry? Never throws on bad input. */
export async function probeGoBinary(src: ByteSource): Promise<GoProbe> {
  if (src.size < 64) return { kind: 'not-go', reason: 'too small for an executable' };
  if (!isElf(await src.read(0, 4))) return { kind: 'not-go', reason: 'not an ELF file' };
  let elf: ElfFile;
  try {
    elf = await readElf(src);
  } catch (err) {
    if (err instanceof ElfError) return { kind: 'not-go', reason: `unreadable ELF headers: ${err.message}` };
    throw err;
  }
  const sections = elf.sections.map((s) => s.name);
  const isGo = hasGoMark(sections, await readNotes(src, elf));
  if (notGoByHeaders(sections, elf.sectionError, isGo)) return { kind: 'not-go', reason: NO_GO_MARK };
  let found: { header: Buffer; fileOffset: number } | undefined;
  try {
    found = await findHeader(src, elf);
    if (!found) {
      if (!isGo) return { kind: 'not-go', reason: 'no Go build information' };
      if (elf.sections.some((s) => s.name === '.go.buildinfo')) return { kind: 'broken', code: 'corrupt', message: 'the .go.buildinfo section does not hold the Go build information header' };
      if (elf.sectionError) return { kind: 'broken', code: 'corrupt', message: `Go executable with unreadable section headers, likely truncated: ${elf.sectionError}` };
      return { kind: 'broken', code: 'unsupported', message: 'Go executable without build information (built before Go 1.13 or not by the gc toolchain)' };
    }
    const inline = (found.header[15]! & 2) !== 0;
    const [goVersion, raw] = inline ? await inlineStrings(src, found.fileOffset) : await pointerStrings(src, elf, found.header);
    if (!goVersion) return { kind: 'broken', code: 'corrupt', message: 'Go build information has an empty Go version' };
    // The module text sits between two 16-byte sentinels; without them there is no module information.
    const modinfo = raw.length >= 33 && raw[raw.length - 17] === 0x0a ? raw.subarray(16, raw.length - 16).toString('utf8') : '';
    return { kind: 'go', goVersion, modinfo, format: inline ? 'inline' : 'pointer' };
  } catch (err) {
    if (!(err instanceof ElfError || err instanceof BuildInfoError)) throw err;
    if (!isGo && !found) return { kind: 'not-go', reason: err.message };
    return { kind: 'broken', code: 'corrupt', message: `Go build information unreadable: ${err.message}` };
  }
}

export interface GoModule {
  path: string;
  version: string;
  sum?: string;
  replace?: GoModule;
}

export interface GoModInfo {
  /** Package path of the main package. */
  path?: string;
  main?: GoModule;
  deps: GoModule[];
  settings: Array<[string, string]>;
  /** Lines that could not be understood, with their number. */
  errors: string[];
}

const GO_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };

/** Go's strconv.Unquote for the quoted keys and values of `build` lines. */
export function goUnquote(s: string): string | undefined {
  if (s.length >= 2 && s[0] === '`' && s.endsWith('`')) return s.slice(1, -1);
  if (s.length < 2 || s[0] !== '"' || !s.endsWith('"')) return undefined;
  const body = s.slice(1, -1);
  // \x and octal escapes are raw bytes that may combine into UTF-8, so the result is built as bytes.
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of body.matchAll(/\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{3})|(.))/gs)) {
    parts.push(Buffer.from(body.slice(last, m.index), 'utf8'));
    last = m.index + m[0].length;
    const [, hex, u4, u8, oct, single] = m;
    if (hex) parts.push(Buffer.from([parseInt(hex, 16)]));
    else if (u4 || u8) {
      const cp = parseInt((u4 ?? u8)!, 16);
      if (cp > 0x10ffff) return undefined;
      parts.push(Buffer.from(String.fromCodePoint(cp), 'utf8'));
    } else if (oct) {
      const v = parseInt(oct, 8);
      if (v > 0xff) return undefined;
      parts.push(Buffer.from([v]));
    } else {
      const e = GO_ESCAPES[single!];
      if (e === undefined) return undefined;
      parts.push(Buffer.from(e, 'utf8'));
    }
  }
  const tail = body.slice(last);
  if (tail.includes('\\')) return undefined;
  parts.push(Buffer.from(tail, 'utf8'));
  return Buffer.concat(parts).toString('utf8');
}

function quotedPrefix(s: string): string | undefined {
  if (s[0] === '`') {
    const end = s.indexOf('`', 1);
    return end < 0 ? undefined : s.slice(0, end + 1);
  }
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return s.slice(0, i + 1);
  }
  return undefined;
}

/** runtime/debug.ParseBuildInfo, except that a bad line is recorded and skipped rather than fatal. */
export function parseModInfo(text: string): GoModInfo {
  const info: GoModInfo = { deps: [], settings: [], errors: [] };
  let last: GoModule | undefined;
  const lines = text.split('\n');
  lines.forEach((line, n) => {
    const fail = (msg: string): void => {
      info.errors.push(`line ${n + 1}: ${msg}`);
    };
    const tab = line.indexOf('\t');
    const word = tab < 0 ? line : line.slice(0, tab);
    const rest = tab < 0 ? '' : line.slice(tab + 1);
    const cols = rest.split('\t');
    switch (word) {
      case '':
        return; // the Go 1.18-1.19 writer leaves an empty line after each replacement
      case 'path':
        info.path = rest;
        return;
      case 'mod':
      case 'dep': {
        if (cols.length !== 2 && cols.length !== 3) return fail(`expected 2 or 3 columns, got ${cols.length}`);
        const m: GoModule = { path: cols[0]!, version: cols[1]! };
        if (cols[2]) m.sum = cols[2];
        if (word === 'mod') info.main = m;
        else info.deps.push(m);
        last = m;
        return;
      }
      case '=>':
        if (cols.length !== 3) return fail(`expected 3 columns for a replacement, got ${cols.length}`);
        if (!last) return fail('replacement without a module on the previous line');
        last.replace = { path: cols[0]!, version: cols[1]! };
        if (cols[2]) last.replace.sum = cols[2];
        last = undefined;
        return;
      case 'build': {
        let key: string | undefined;
        let raw: string;
        if (rest[0] === '"' || rest[0] === '`') {
          const q = quotedPrefix(rest);
          key = q === undefined ? undefined : goUnquote(q);
          if (q === undefined || key === undefined || rest[q.length] !== '=') return fail('bad quoted key in build line');
          raw = rest.slice(q.length + 1);
        } else {
          const eq = rest.indexOf('=');
          if (eq <= 0) return fail("build line without 'key='");
          key = rest.slice(0, eq);
          raw = rest.slice(eq + 1);
        }
        const value = raw[0] === '"' || raw[0] === '`' ? goUnquote(raw) : raw;
        if (value === undefined) return fail(`bad quoted value for ${key}`);
        info.settings.push([key, value]);
        return;
      }
      default:
        return; // unknown words are for newer toolchains, as in Go's own parser
    }
  });
  return info;
}

/** `go1.21rc2` → `1.21.0-rc.2`, the form vulnerability databases use for the standard library. */
export function stdlibVersion(goVersion: string): string {
  const tag = goVersion.trim().split(/\s+/)[0] ?? '';
  if (tag === 'go1') return '1.0.0';
  const m = /^go(\d+\.\d+)(\.\d+)?(?:(beta|rc)(\d+))?$/.exec(tag);
  if (!m) return '';
  return `${m[1]}${m[2] ?? '.0'}${m[3] ? `-${m[3]}.${m[4]}` : ''}`;
}

const KEPT_SETTINGS: Record<string, string> = {
  GOOS: 'goos',
  GOARCH: 'goarch',
  CGO_ENABLED: 'cgoEnabled',
  '-buildmode': 'buildmode',
  vcs: 'vcs',
  'vcs.revision': 'vcsRevision',
  'vcs.time': 'vcsTime',
  'vcs.modified': 'vcsModified',
};

function golangComponent(path: string, version: string, locations: string[], metadata: NonNullable<Component['metadata']>): Component {
  const slash = path.lastIndexOf('/');
  return {
    ecosystem: 'golang',
    name: path,
    version,
    purl: formatPurl({ type: 'golang', namespace: slash > 0 ? path.slice(0, slash) : undefined, name: slash > 0 ? path.slice(slash + 1) : path, version }),
    locations: [...locations].sort(),
    foundBy: COLLECTOR_NAME,
    metadata,
  };
}

/** Only real module versions: `(devel)` and local directory replacements have none. */
const realVersion = (v: string): string => (v === '(devel)' ? '' : v);

export function goComponents(goVersion: string, info: GoModInfo, locations: string[]): Component[] {
  const common = { goVersion };
  const out = [golangComponent('stdlib', stdlibVersion(goVersion), locations, { ...common })];
  if (info.main?.path) {
    const meta: NonNullable<Component['metadata']> = { ...common, mainModule: true, moduleVersion: info.main.version };
    if (info.path) meta.packagePath = info.path;
    if (info.main.sum) meta.sum = info.main.sum;
    for (const [k, v] of info.settings) {
      const name = KEPT_SETTINGS[k];
      if (name) meta[name] = k === 'vcs.modified' ? v === 'true' : v;
    }
    out.push(golangComponent(info.main.path, realVersion(info.main.version), locations, meta));
  }
  for (const dep of info.deps) {
    const r = dep.replace;
    const meta: NonNullable<Component['metadata']> = { ...common };
    if (!r) {
      if (dep.sum) meta.sum = dep.sum;
      out.push(golangComponent(dep.path, realVersion(dep.version), locations, meta));
    } else if (realVersion(r.version)) {
      // The replacement's code is what was compiled in.
      Object.assign(meta, { replaces: dep.path, requiredVersion: dep.version }, r.sum ? { sum: r.sum } : {});
      out.push(golangComponent(r.path, r.version, locations, meta));
    } else {
      Object.assign(meta, { replacement: r.path, requiredVersion: dep.version });
      out.push(golangComponent(dep.path, '', locations, meta));
    }
  }
  return out;
}
