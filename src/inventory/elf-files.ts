import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { CollectContext } from './collector.js';
import { readElf, readNotes } from './elf.js';
import { openResolvedInRoot } from './file-source.js';
import { hostPath, isMissing, resolveInRootSync } from './rootfs.js';

/**
 * The ELF files among the files the walk hands to the collectors of executables (Go
 * build information, cargo auditable data), looked at once for all of them: which
 * paths start with the ELF magic, which file each reaches, and that file's section
 * names and notes, read with one open. A collector opens a file again only when
 * these may hold what it reads; in a scan the collectors share one look
 * (`CollectContext.shared`).
 */

/** Executables are read piecewise; this only refuses absurd files. */
const MAX_BINARY_BYTES = 4 * 1024 * 1024 * 1024;

/** What the headers of one ELF file say, kept without the file. */
export interface ElfHeaders {
  /** Section names in table order; empty when the file has no section table. */
  sections: string[];
  /** Why the section table could not be read (a truncated file loses it first). */
  sectionError?: string;
  /** Notes of the PT_NOTE segments, by name and type. */
  notes: Array<{ name: string; type: number }>;
}

export interface ElfTarget {
  /** Root-relative path of the file, every symlink resolved inside the root. */
  target: string;
  /** The walked paths that reach it, sorted. */
  paths: string[];
  /** Undefined when the file could not be opened or its ELF header read: a collector reading it says why. */
  headers?: ElfHeaders;
}

export interface ElfFiles {
  /** Sorted by target. */
  targets: ElfTarget[];
  /** Walked paths whose symlinks could not be resolved (a loop), with the error. */
  unresolved: Array<{ path: string; error: unknown }>;
}

const ELF_MAGIC = 0x7f454c46;

/**
 * Whether the file starts with the ELF magic, read synchronously: most probed files
 * are not ELF, and a thread-pool round trip each cost more than the read. On the
 * live host the path is opened as found; inside another root it is resolved there
 * first, so a link never reaches the scanning host's files.
 */
export function startsLikeElf(root: string, rel: string): boolean {
  let fd: number | undefined;
  try {
    const target = root === '/' ? rel : resolveInRootSync(root, rel);
    if (target === undefined) return false;
    fd = openSync(hostPath(root, target), constants.O_RDONLY | constants.O_NONBLOCK | (root === '/' ? 0 : constants.O_NOFOLLOW));
    if (!fstatSync(fd).isFile()) return false;
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32BE(0) === ELF_MAGIC;
  } catch (err) {
    return !isMissing(err); // the full open reports why it cannot be read
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function readHeaders(root: string, target: string): Promise<ElfHeaders | undefined> {
  let src;
  try {
    src = await openResolvedInRoot(root, target, MAX_BINARY_BYTES);
  } catch {
    return undefined;
  }
  if (!src) return undefined;
  try {
    const elf = await readElf(src);
    const notes = (await readNotes(src, elf)).map((n) => ({ name: n.name, type: n.type }));
    const headers: ElfHeaders = { sections: elf.sections.map((s) => s.name), notes };
    if (elf.sectionError !== undefined) headers.sectionError = elf.sectionError;
    return headers;
  } catch {
    return undefined;
  } finally {
    await src.close();
  }
}

async function lookAt(root: string, files: readonly string[], signal: AbortSignal | undefined): Promise<ElfFiles> {
  const groups = new Map<string, string[]>();
  const unresolved: ElfFiles['unresolved'] = [];
  for (const rel of files) {
    if (!startsLikeElf(root, rel)) continue;
    let target: string | undefined;
    try {
      target = resolveInRootSync(root, rel);
    } catch (error) {
      unresolved.push({ path: rel, error });
      continue;
    }
    if (target === undefined) continue;
    const paths = groups.get(target);
    if (paths) paths.push(rel);
    else groups.set(target, [rel]);
  }
  const targets: ElfTarget[] = [];
  for (const [target, paths] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const t: ElfTarget = { target, paths: paths.sort() };
    const headers = signal?.aborted ? undefined : await readHeaders(root, target);
    if (headers) t.headers = headers;
    targets.push(t);
  }
  return { targets, unresolved };
}

/** The ELF files among `ctx.files`, looked at once per scan for every collector handed the same files. */
export function elfFiles(ctx: CollectContext): Promise<ElfFiles> {
  const look = () => lookAt(ctx.root, ctx.files, ctx.signal);
  return ctx.shared ? ctx.shared.once('elf-files', ctx.root, ctx.files, look) : look();
}
