import { readFile, readdir, readlink } from 'node:fs/promises';
import type { Component, ListeningPort, Problem } from '../common/model.js';
import { classifyExposure, parseProcNet, type ProcNetSocket, type SocketProtocol } from './ports.parse.js';
import { problem, problemFrom } from './problems.js';
import { isMissing } from './rootfs.js';
import {
  DEFAULT_PROC_ROOT,
  forEachLimit,
  hostMountNamespace,
  inMountNamespace,
  isGone,
  listPids,
  readComm,
  readExe,
  Uninspected,
} from './runtime.js';

/**
 * What listens on a live host: the kernel's socket tables joined to the
 * processes holding each socket, their executables and owning packages. A
 * vulnerable package behind a port open beyond loopback ranks higher (DESIGN §5).
 */

const COLLECTOR = 'ports';
const TABLES: readonly SocketProtocol[] = ['tcp', 'tcp6', 'udp', 'udp6'];
const SOCKET_LINK = /^socket:\[(\d+)\]$/;
const DEFAULT_CONCURRENCY = 16;

export interface PortsOptions {
  /** Where procfs is mounted (default `/proc`). */
  procRoot?: string;
  /** Path → owning package, keyed by real paths (see `canonicalOwners`). */
  owners?: Map<string, Component>;
  /**
   * Read the socket tables of this process's network namespace. By default
   * Vigil reads its own, which is the host's for an agent running on the host.
   */
  namespacePid?: number;
  /**
   * The previous scan's result: the pids it found are searched first, so a
   * steady-state poll reads a few fd directories instead of every process's.
   */
  previous?: ListeningPort[];
  concurrency?: number;
}

export interface PortsResult {
  ports: ListeningPort[];
  problems: Problem[];
}

export async function listeningPorts(opts: PortsOptions = {}): Promise<PortsResult> {
  const procRoot = opts.procRoot ?? DEFAULT_PROC_ROOT;
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const { sockets, problems } = await socketTables(opts);

  const wanted = new Set(sockets.map((s) => s.inode).filter((inode) => inode > 0));
  const hinted = new Set((opts.previous ?? []).filter((p) => p.pid !== undefined && wanted.has(p.inode)).map((p) => p.pid!));
  const holders = await findHolders(procRoot, wanted, hinted, concurrency);
  const unresolved = [...wanted].filter((inode) => !holders.byInode.has(inode)).length;
  if (unresolved > 0) {
    const consequence = `${unresolved} listening socket${unresolved === 1 ? ' has' : 's have'} no known process`;
    const uninspected = holders.uninspected.problem(COLLECTOR, procRoot, consequence);
    if (uninspected) problems.push(uninspected);
    else if (process.geteuid?.() !== 0 && opts.procRoot === undefined) {
      // With hidepid, other users' processes are not even listed, so nothing failed.
      problems.push(problem(COLLECTOR, procRoot, 'unreadable', `${consequence}: not running as root, other users' processes may be hidden`));
    }
  }

  const namespace = await hostMountNamespace(procRoot);
  const processes = new Map<number, ProcessFacts>();
  await forEachLimit([...new Set(holders.byInode.values())], concurrency, async (pid) => {
    processes.set(pid, await processFacts(procRoot, pid, namespace, opts.owners));
  });

  const ports = sockets.map((s): ListeningPort => {
    const port: ListeningPort = {
      protocol: s.protocol,
      address: s.local.address,
      port: s.local.port,
      exposure: classifyExposure(s.local.address),
      inode: s.inode,
    };
    const pid = holders.byInode.get(s.inode);
    if (pid !== undefined) {
      port.pid = pid;
      const facts = processes.get(pid);
      if (facts?.process !== undefined) port.process = facts.process;
      if (facts?.executable !== undefined) port.executable = facts.executable;
      if (facts?.package !== undefined) port.package = facts.package;
    }
    return port;
  });
  ports.sort(comparePorts);
  return { ports, problems };
}

async function socketTables(opts: Pick<PortsOptions, 'procRoot' | 'namespacePid'>): Promise<{ sockets: ProcNetSocket[]; problems: Problem[] }> {
  const procRoot = opts.procRoot ?? DEFAULT_PROC_ROOT;
  const netDir = opts.namespacePid === undefined ? `${procRoot}/net` : `${procRoot}/${opts.namespacePid}/net`;
  const tables = await Promise.all(TABLES.map((protocol) => readTable(`${netDir}/${protocol}`, protocol)));
  return { sockets: tables.flatMap((t) => t.sockets), problems: tables.flatMap((t) => t.problems) };
}

/**
 * Only the kernel's socket tables: which (protocol, address, port) are listening,
 * without the processes and packages behind them. Four small reads, cheap enough
 * for an agent to poll; it maps the sockets (listeningPorts) only when this changes.
 */
export async function listeningSockets(opts: Pick<PortsOptions, 'procRoot' | 'namespacePid'> = {}): Promise<Array<Pick<ListeningPort, 'protocol' | 'address' | 'port'>>> {
  const { sockets } = await socketTables(opts);
  return sockets.map((s) => ({ protocol: s.protocol, address: s.local.address, port: s.local.port }));
}

async function readTable(file: string, protocol: SocketProtocol): Promise<{ sockets: ProcNetSocket[]; problems: Problem[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    // A kernel without IPv6 has no tcp6/udp6: nothing listens there.
    return { sockets: [], problems: isMissing(err) ? [] : [problemFrom(COLLECTOR, file, err)] };
  }
  const { sockets, errors } = parseProcNet(text, protocol);
  const first = errors[0];
  if (!first) return { sockets, problems: [] };
  // One problem per table: a kernel quirk repeats on every line.
  const count = errors.length === 1 ? '1 malformed line' : `${errors.length} malformed lines`;
  return { sockets, problems: [problem(COLLECTOR, file, 'malformed-record', `${count}; first at line ${first.line}: ${first.message}`)] };
}

interface Holders {
  byInode: Map<number, number>;
  uninspected: Uninspected;
}

/**
 * Map socket inodes to the process holding them by reading fd links. A socket
 * shared after fork is attributed to its lowest pid (the master, not a worker);
 * init comes last because with socket activation it holds the socket alongside
 * the daemon that actually serves it. Stops as soon as every socket is placed;
 * the previous holders are tried alone first, and when they still hold every
 * socket (a steady poll) no other process is read.
 */
async function findHolders(procRoot: string, wanted: Set<number>, hinted: Set<number>, concurrency: number): Promise<Holders> {
  const uninspected = new Uninspected();
  if (wanted.size === 0) return { byInode: new Map(), uninspected };
  const pids = await listPids(procRoot);
  const cache = new Map<number, number[]>();
  const inodesOf = async (pid: number): Promise<number[]> => {
    let found = cache.get(pid);
    if (!found) {
      try {
        found = await socketInodes(procRoot, pid, wanted);
      } catch (err) {
        await uninspected.add(procRoot, pid, err);
        found = [];
      }
      cache.set(pid, found);
    }
    return found;
  };
  const live = new Set(pids);
  const first = [...hinted].filter((p) => live.has(p));
  if (first.length > 0) {
    const quick = await assign(first, inodesOf, wanted, concurrency);
    // Only a complete answer may skip the full scan; it is what a steady poll gets.
    if (quick.size === wanted.size) return { byInode: quick, uninspected };
  }
  const ordered = [...pids.filter((p) => p !== 1), ...pids.filter((p) => p === 1)];
  return { byInode: await assign(ordered, inodesOf, wanted, concurrency), uninspected };
}

/** Holders in `ordered` order, batch by batch, so an earlier batch's pid wins. */
async function assign(
  ordered: number[],
  inodesOf: (pid: number) => Promise<number[]>,
  wanted: Set<number>,
  concurrency: number,
): Promise<Map<number, number>> {
  const byInode = new Map<number, number>();
  for (let i = 0; i < ordered.length && byInode.size < wanted.size; i += concurrency) {
    const batch = ordered.slice(i, i + concurrency);
    const found = await Promise.all(batch.map(inodesOf));
    batch.forEach((pid, k) => {
      for (const inode of found[k]!) {
        const seen = byInode.get(inode);
        if (seen === undefined || (pid !== 1 && (seen === 1 || pid < seen))) byInode.set(inode, pid);
      }
    });
  }
  return byInode;
}

async function socketInodes(procRoot: string, pid: number, wanted: Set<number>): Promise<number[]> {
  const dir = `${procRoot}/${pid}/fd`;
  const fds = await readdir(dir);
  const out: number[] = [];
  for (const fd of fds) {
    let target: string;
    try {
      target = await readlink(`${dir}/${fd}`);
    } catch (err) {
      if (isGone(err)) continue;
      throw err;
    }
    const m = SOCKET_LINK.exec(target);
    if (m && wanted.has(Number(m[1]))) out.push(Number(m[1]));
  }
  return out;
}

interface ProcessFacts {
  process?: string;
  executable?: string;
  package?: string;
}

async function processFacts(
  procRoot: string,
  pid: number,
  namespace: string | undefined,
  owners: Map<string, Component> | undefined,
): Promise<ProcessFacts> {
  const facts: ProcessFacts = {};
  const comm = await readComm(procRoot, pid);
  if (comm !== undefined) facts.process = comm;
  let exe;
  try {
    exe = await readExe(procRoot, pid);
  } catch {
    return facts;
  }
  if (!exe) return facts;
  facts.executable = exe.path;
  // A container's executable path names a file of its image, not of a host package.
  if (owners && (await inMountNamespace(procRoot, pid, namespace))) {
    const owner = owners.get(exe.path);
    if (owner) facts.package = owner.purl;
  }
  return facts;
}

const PROTOCOL_ORDER: Record<SocketProtocol, number> = { tcp: 0, tcp6: 1, udp: 2, udp6: 3 };

function comparePorts(a: ListeningPort, b: ListeningPort): number {
  return (
    PROTOCOL_ORDER[a.protocol] - PROTOCOL_ORDER[b.protocol] ||
    a.port - b.port ||
    (a.address < b.address ? -1 : a.address > b.address ? 1 : 0) ||
    a.inode - b.inode
  );
}
