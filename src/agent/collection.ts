import path from 'node:path';
import type { Logger } from 'pino';
import { describeError } from '../common/errors.js';
import type { ListeningPort } from '../common/model.js';
import { listeningSockets } from '../inventory/ports.js';
import { collectInWorker } from './collect.js';
import type { AgentConfig } from './config.js';
import { compareUtf8, componentKey, inventoryMap, type InventoryMap } from './inventory-state.js';
import type { Collected, LocalInventory } from './local-state.js';

export interface CollectionDeps {
  cfg: AgentConfig;
  log: Logger;
  local: LocalInventory;
  agentId: () => string;
  /** Runs `fn` on the daemon's task queue, after every task queued before it. */
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
  /** A delta was appended to the outbox: send it if the stream can take it. */
  committed: () => Promise<void>;
}

/**
 * Collections and what they commit: full ones (startup, schedule, rescan,
 * commands), partial ones for the package databases that changed, and the port
 * poll's. Each runs on the daemon's task queue.
 */
export class Collection {
  private polledPorts: ListeningPort[] = [];
  /** Each collector's package databases, as the first collection reported them. */
  private dbs: Array<{ name: string; databases: string[] }> = [];

  constructor(private readonly d: CollectionDeps) {}

  /** The scan is of this host (root `/`), so ports, processes and facts are live. */
  get live(): boolean {
    return path.resolve(this.d.cfg.root) === '/';
  }

  get databases(): Array<{ name: string; databases: string[] }> {
    return this.dbs;
  }

  /** `live`: also read ports and facts, which a partial collection otherwise skips. */
  private async collect(collectors?: string[], live = collectors === undefined): Promise<Collected> {
    const { cfg, log } = this.d;
    // A collection of named collectors (the watch, the port refresh) reads only package databases: scan() walks nothing for it.
    const { inventory: inv, databases } = await collectInWorker({
      root: cfg.root,
      appRoots: cfg.appRoots,
      skipDirs: cfg.skipDirs,
      includeCaches: cfg.includeCaches,
      noLive: !this.live || !live,
      ...(collectors ? { collectors } : {}),
    });
    this.dbs = databases;
    for (const p of inv.problems.slice(0, 20)) log.debug({ problem: p }, 'collection problem');
    const out: Collected = { components: inventoryMap(inv.components), ports: inv.ports ?? [] };
    // Which components a process uses is host state, kept and sent as a set of keys
    // beside the components (it is not part of a component, nor of the digest).
    // (inventoryMap keeps each component's content only, which leaves it out.)
    if (this.live && live) out.inUse = [...new Set(inv.components.filter((c) => c.inUse).map(componentKey))].sort(compareUtf8);
    if (inv.host) out.facts = inv.host;
    if (inv.os) out.os = inv.os;
    if (inv.kernel) out.kernel = inv.kernel;
    return out;
  }

  /**
   * Collects (everything, or only the named collectors' sources) and commits the
   * difference as one delta. A partial collection replaces only the components
   * those collectors found; ports, facts and kernel come from full ones.
   */
  async refresh(reason: string, names?: string[]): Promise<void> {
    const { local } = this.d;
    const started = Date.now();
    let next: Collected;
    const base = names && names.length > 0 ? await local.base() : undefined;
    if (names && base) {
      const part = await this.collect(names);
      const map: InventoryMap = new Map();
      for (const [k, c] of inventoryMap(base)) if (!names.includes(c.foundBy)) map.set(k, c);
      for (const [k, c] of part.components) if (names.includes(c.foundBy)) map.set(k, c);
      const head = local.head;
      next = { components: map, ports: head.ports };
      if (head.facts) next.facts = head.facts;
      if (part.os) next.os = part.os;
      if (head.kernel) next.kernel = head.kernel;
    } else {
      next = await this.collect();
      this.polledPorts = next.ports;
    }
    const seq = await this.commit(next);
    this.d.log.info({ reason, collectors: names, duration_ms: Date.now() - started, components: next.components.size, seq }, 'inventory refreshed');
  }

  /**
   * The sockets changed: map them to processes and packages again. Only the OS
   * package databases are read (their file lists own the executables); language
   * packages cannot have changed with a socket.
   */
  private async refreshPorts(): Promise<void> {
    const { local } = this.d;
    if (local.head.seq === 0) return this.refresh('ports');
    const os = this.dbs.map((d) => d.name);
    const part = await this.collect(os.length ? os : undefined, true);
    this.polledPorts = part.ports;
    const head = local.head;
    // The components stay as they are (a socket changes no package): only host state is committed.
    const next: Omit<Collected, 'components'> = { ports: part.ports };
    if (part.inUse) {
      // The processes were read, but only the OS packages' files: the other components keep what the last full collection saw.
      const fromOs = new Set(part.components.keys());
      const kept = (head.inUse ?? []).filter((k) => !fromOs.has(k));
      next.inUse = [...new Set([...kept, ...part.inUse])].sort(compareUtf8);
    }
    if (part.facts ?? head.facts) next.facts = (part.facts ?? head.facts)!;
    if (head.os) next.os = head.os;
    if (part.kernel ?? head.kernel) next.kernel = (part.kernel ?? head.kernel)!;
    const { seq, appended } = await local.commitHostState(next, this.d.agentId());
    if (appended) await this.d.committed();
    this.d.log.info({ ports: part.ports.length, seq }, 'listening ports refreshed');
  }

  /** Commits `next`; a new delta goes to the stream. Returns the seq now held. */
  private async commit(next: Collected): Promise<number> {
    const { seq, appended } = await this.d.local.commit(next, this.d.agentId());
    if (appended) await this.d.committed();
    return seq;
  }

  /** Reads the socket tables; when the set of sockets changed, refreshes ports on the task queue. */
  async pollPorts(): Promise<void> {
    try {
      // Only the socket tables each time; the processes and packages behind the
      // sockets are looked up (in the collector process) when the set changed.
      const sockets = await listeningSockets();
      const key = (p: Pick<ListeningPort, 'protocol' | 'address' | 'port'>): string => `${p.protocol} ${p.address} ${p.port}`;
      const a = new Set(sockets.map(key));
      const b = new Set(this.polledPorts.map(key));
      if (a.size === b.size && [...a].every((k) => b.has(k))) return;
      await this.d.serial(() => this.refreshPorts());
    } catch (err) {
      this.d.log.warn({ err: describeError(err) }, 'port poll failed');
    }
  }
}
