import { readFile, readdir, readlink } from 'node:fs/promises';
import type { Component, Problem } from '../common/model.js';
import { describeError } from '../common/errors.js';
import { problem, problemFrom } from './problems.js';
import { isMissing } from './rootfs.js';

/**
 * What runs on a live host: which packages have files executed or mapped by a
 * process. A vulnerable library nobody loads ranks below one every daemon maps
 * (DESIGN §5). Also the process-inspection helpers the port scan shares.
 */

export const DEFAULT_PROC_ROOT = '/proc';
const COLLECTOR = 'runtime';
const DELETED_SUFFIX = ' (deleted)';
const DEFAULT_CONCURRENCY = 16;

/** The process exited while we looked: not a failure. */
export function isGone(err: unknown): boolean {
  return isMissing(err) || (err as NodeJS.ErrnoException | undefined)?.code === 'ESRCH';
}

export function isDenied(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

/** Process ids under the proc root, ascending (thread ids are not listed there). */
export async function listPids(procRoot: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir(procRoot)) {
    if (/^\d+$/.test(name)) pids.push(Number(name));
  }
  return pids.sort((a, b) => a - b);
}

const PF_KTHREAD = 0x00200000;

/**
 * Kernel threads refuse unprivileged readers like any root process, yet have
 * nothing to find; `stat` stays world-readable and says which they are.
 */
export async function isKernelThread(procRoot: string, pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`${procRoot}/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses; the fields after its closing one are fixed: state ppid pgrp session tty tpgid flags.
    const flags = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[6]);
    return Number.isInteger(flags) && (flags & PF_KTHREAD) !== 0;
  } catch {
    return false;
  }
}

export interface MappedPath {
  path: string;
  /** The file was unlinked or replaced after the process opened it. */
  deleted: boolean;
}

/** The kernel appends ` (deleted)` to paths whose file has been unlinked since. */
export function stripDeleted(p: string): MappedPath {
  return p.endsWith(DELETED_SUFFIX) ? { path: p.slice(0, -DELETED_SUFFIX.length), deleted: true } : { path: p, deleted: false };
}

/**
 * The process executable, or undefined for kernel threads (no exe link) and
 * processes that exited meanwhile. Permission errors propagate: callers count them.
 */
export async function readExe(procRoot: string, pid: number): Promise<MappedPath | undefined> {
  try {
    const target = await readlink(`${procRoot}/${pid}/exe`);
    return target ? stripDeleted(target) : undefined;
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  }
}

export async function readComm(procRoot: string, pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`${procRoot}/${pid}/comm`, 'utf8')).replace(/\n$/, '');
  } catch {
    return undefined;
  }
}

async function readLinkQuiet(p: string): Promise<string | undefined> {
  try {
    return await readlink(p);
  } catch {
    return undefined;
  }
}

/**
 * The host's mount namespace, so processes in containers can be told apart:
 * their paths name files of the container image, not of the host's packages.
 * Init's namespace is the host's even when Vigil runs in a container with the
 * host pid namespace; our own is the fallback when init cannot be inspected.
 */
export async function hostMountNamespace(procRoot: string): Promise<string | undefined> {
  return (await readLinkQuiet(`${procRoot}/1/ns/mnt`)) ?? (await readLinkQuiet(`${procRoot}/self/ns/mnt`));
}

/** False only when the process is known to live in another mount namespace. */
export async function inMountNamespace(procRoot: string, pid: number, namespace: string | undefined): Promise<boolean> {
  if (namespace === undefined) return true;
  const own = await readLinkQuiet(`${procRoot}/${pid}/ns/mnt`);
  return own === undefined || own === namespace;
}

/** Run `fn` over `items` with at most `limit` calls in flight. */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * File-backed paths of a `/proc/<pid>/maps` text, deduplicated. The path column
 * follows five fixed fields; it is taken only when it starts with `/`, so
 * `[heap]`, `[vdso]` and named anonymous mappings (which may contain `/`) are skipped.
 */
export function parseMapsPaths(text: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let pos = start;
    for (let field = 0; field < 5 && pos < end; field++) {
      while (pos < end && text.charCodeAt(pos) !== 32) pos++;
      while (pos < end && text.charCodeAt(pos) === 32) pos++;
    }
    if (pos < end && text.charCodeAt(pos) === 47 /* '/' */) {
      const { path, deleted } = stripDeleted(text.slice(pos, end));
      if (!out.has(path) || deleted) out.set(path, deleted);
    }
    start = end + 1;
  }
  return out;
}

export interface ProcessPaths {
  pid: number;
  /** Executable and file-backed mappings; true when the file was deleted or replaced since. */
  paths: Map<string, boolean>;
}

/** What every host process executes and maps, read once and shared by the lookups that need it. */
export interface ProcessSnapshot {
  procRoot: string;
  processes: ProcessPaths[];
  problems: Problem[];
}

export interface RuntimeOptions {
  procRoot?: string;
  /** Path → owning package, keyed by real paths (see `canonicalOwners`). */
  owners: Map<string, Component>;
  concurrency?: number;
  /** A snapshot already taken (see `snapshotProcesses`), so /proc is read once per scan. */
  snapshot?: ProcessSnapshot;
}

export interface RuntimeUse {
  /** Packages with a file executed or mapped by a process. Each also gets `inUse = true`. */
  used: Set<Component>;
  /** For each used package, the pids using it, ascending (to join package → process → socket). */
  pids: Map<Component, number[]>;
  /**
   * Packages whose replaced or removed files are still mapped: those processes
   * keep running the old code until restarted, whatever version is installed.
   */
  stale: Map<Component, number[]>;
  /** Processes whose executable and maps were read. */
  processes: number;
  problems: Problem[];
}

/**
 * Read the executable and mapped files of every host process. Each maps file is
 * read once; kernel threads cost one failed readlink; processes in other mount
 * namespaces (containers) are skipped since their paths are not the host's.
 */
export async function snapshotProcesses(procRoot = DEFAULT_PROC_ROOT, concurrency = DEFAULT_CONCURRENCY): Promise<ProcessSnapshot> {
  let pids: number[];
  try {
    pids = await listPids(procRoot);
  } catch (err) {
    return { procRoot, processes: [], problems: [problemFrom(COLLECTOR, procRoot, err)] };
  }
  const namespace = await hostMountNamespace(procRoot);
  const processes: ProcessPaths[] = [];
  const uninspected = new Uninspected();
  await forEachLimit(pids, concurrency, async (pid) => {
    try {
      const exe = await readExe(procRoot, pid);
      if (!exe) return;
      if (!(await inMountNamespace(procRoot, pid, namespace))) return;
      const maps = await readFile(`${procRoot}/${pid}/maps`, 'utf8');
      const paths = parseMapsPaths(maps);
      if (!paths.has(exe.path) || exe.deleted) paths.set(exe.path, exe.deleted);
      processes.push({ pid, paths });
    } catch (err) {
      await uninspected.add(procRoot, pid, err);
    }
  });
  processes.sort((a, b) => a.pid - b.pid);
  const problem = uninspected.problem(COLLECTOR, procRoot, 'packages only they use may not be marked in use');
  return { procRoot, processes, problems: problem ? [problem] : [] };
}

/** Every path some process executes or maps: the only owned files a live scan needs to know. */
export function snapshotPaths(snapshot: ProcessSnapshot): Set<string> {
  const out = new Set<string>();
  for (const p of snapshot.processes) for (const path of p.paths.keys()) out.add(path);
  return out;
}

/** Mark the packages running processes execute or map. */
export async function markInUse(opts: RuntimeOptions): Promise<RuntimeUse> {
  const snapshot = opts.snapshot ?? (await snapshotProcesses(opts.procRoot ?? DEFAULT_PROC_ROOT, opts.concurrency ?? DEFAULT_CONCURRENCY));
  const users = new Map<Component, Set<number>>();
  const staleUsers = new Map<Component, Set<number>>();
  const note = (into: Map<Component, Set<number>>, c: Component, pid: number): void => {
    let set = into.get(c);
    if (!set) into.set(c, (set = new Set()));
    set.add(pid);
  };
  for (const { pid, paths } of snapshot.processes) {
    for (const [path, deleted] of paths) {
      const owner = opts.owners.get(path);
      if (!owner) continue;
      note(users, owner, pid);
      if (deleted) note(staleUsers, owner, pid);
    }
  }
  // Sort so equal hosts give equal output.
  const sorted = (m: Map<Component, Set<number>>): Map<Component, number[]> =>
    new Map([...m].sort(([a], [b]) => comparePurl(a, b)).map(([c, s]) => [c, [...s].sort((x, y) => x - y)]));
  const used = new Set([...users.keys()].sort(comparePurl));
  for (const c of used) c.inUse = true;
  return { used, pids: sorted(users), stale: sorted(staleUsers), processes: snapshot.processes.length, problems: snapshot.problems };
}

function comparePurl(a: Component, b: Component): number {
  return a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0;
}

/**
 * Processes that could not be inspected, reported as one problem rather than
 * one per process or socket: an unprivileged agent meets hundreds of them.
 */
export class Uninspected {
  private total = 0;
  private denied = 0;
  private firstOther: string | undefined;

  /** Count a failure on `pid`, unless it exited or is a kernel thread. */
  async add(procRoot: string, pid: number, err: unknown): Promise<void> {
    if (isGone(err) || (isDenied(err) && (await isKernelThread(procRoot, pid)))) return;
    this.total++;
    if (isDenied(err)) this.denied++;
    else this.firstOther ??= `pid ${pid}: ${describeError(err)}`;
  }

  get count(): number {
    return this.total;
  }

  problem(collector: string, procRoot: string, consequence: string): Problem | undefined {
    if (this.total === 0) return undefined;
    const causes: string[] = [];
    // fd links, exe and maps of another user's process need ptrace read access.
    if (this.denied > 0) causes.push(`${this.denied} permission denied: run as root or with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH`);
    if (this.firstOther) causes.push(`${this.total - this.denied} failed, first ${this.firstOther}`);
    const n = this.total === 1 ? '1 process' : `${this.total} processes`;
    return problem(collector, procRoot, 'unreadable', `${n} could not be inspected (${causes.join('; ')}): ${consequence}`);
  }
}
