import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { writeFileAtomic } from '../common/atomic-write.js';
import type { Component, HostFacts, KernelInfo, ListeningPort, OsInfo } from '../common/model.js';
import type { Delta } from './delta.js';
import { DigestState, inventoryDigestV2 } from '../common/inventory-lthash.js';
import { applyDelta, diffInventories, inventoryDigest, inventoryMap, type InventoryMap } from './inventory-state.js';
import { Outbox, OutboxCorruptError } from './outbox.js';

const INVENTORY_FILE = 'inventory.json';
/** How long components read from inventory.json stay in memory after their last use. */
const HOLD_MS = 10_000;

/** What the agent believes the inventory is after its latest delta: the base of the next diff. */
export interface LocalState {
  epoch: number;
  seq: number;
  digest: string;
  components: Component[];
  ports: ListeningPort[];
  facts?: HostFacts;
  os?: OsInfo;
  kernel?: KernelInfo;
  /** Sorted keys of the components a running process uses; absent until a live collection read them. */
  inUse?: string[];
  /** 2 when `digest` is v2 (common/inventory-lthash.ts); absent in a file written before v2, whose digest is v1. */
  digestVersion?: 2;
  /** The LtHash state behind a v2 `digest`, base64 (2 KiB): the next delta's digest starts from it. */
  digestState?: string;
}

/**
 * The state the daemon keeps in memory between changes: everything but the
 * components, which live in inventory.json and are read when a change, a snapshot or
 * a rescan needs them. An idle agent's memory does not grow with the host's inventory.
 */
export type StateHead = Omit<LocalState, 'components' | 'digestState'> & { count: number };

/** One collection's result, the candidate for the next state. */
export interface Collected {
  components: InventoryMap;
  ports: ListeningPort[];
  facts?: HostFacts;
  os?: OsInfo;
  kernel?: KernelInfo;
  /** Sorted keys of the components in use, when the collection read the processes. */
  inUse?: string[];
}

/** The in-use keys of the next state: the collection's, else the previous ones still installed. */
function nextInUse(next: Collected, prev: string[] | undefined): string[] | undefined {
  if (next.inUse) return next.inUse;
  return prev?.filter((k) => next.components.has(k));
}

function headOf(s: LocalState): StateHead {
  const { components, digestState: _, ...rest } = s;
  return { ...rest, count: components.length };
}

/** The digest of `components` in a version, to compare with what the outbox holds in that version. */
function digestIn(version: 1 | 2, components: Component[] | InventoryMap): string {
  return version === 2 ? inventoryDigestV2(components) : inventoryDigest(components);
}

/** The saved state's LtHash: the saved one when it gives the saved digest, else computed from the components. */
function stateOf(s: LocalState): DigestState {
  if (s.digestVersion === 2 && s.digestState) {
    try {
      const st = DigestState.fromBuffer(Buffer.from(s.digestState, 'base64'));
      if (st.digest() === s.digest) return st;
    } catch {
      // A damaged state is computed again below.
    }
  }
  return DigestState.of(s.components);
}

/** Stable fields of a socket: pids and inodes change on every service restart. */
function portKey(p: ListeningPort): string {
  return JSON.stringify([p.protocol, p.address, p.port, p.exposure, p.package ?? null, p.executable ?? null]);
}

function samePorts(a: ListeningPort[], b: ListeningPort[]): boolean {
  const ka = a.map(portKey).sort();
  const kb = b.map(portKey).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/** `s` with `digest` in `version` (digestVersion absent for v1) and no saved LtHash state unless the digest is the saved one. */
function restamp(s: LocalState, digest: string, version: 1 | 2): LocalState {
  if ((s.digestVersion ?? 1) === version && digest === s.digest) return s;
  const { digestVersion: _, digestState, ...rest } = s;
  const out: LocalState = version === 2 ? { ...rest, digest, digestVersion: 2 } : { ...rest, digest };
  if (digestState && version === 2 && digest === s.digest) out.digestState = digestState;
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The agent's local state: the durable outbox of deltas, the head of the state it
 * describes, and inventory.json holding that state's components. Only the daemon's
 * serial task queue calls into it, so one change at a time.
 */
export class LocalInventory {
  private box: Outbox | undefined;
  private current: StateHead | undefined;
  /** The components of `head`, while they are in use (see StateHead). */
  private held: Component[] | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  /** The LtHash state of `head`'s components (2 KiB): a delta's digest costs what its components cost. */
  private lthash = DigestState.empty();

  /** `onNewEpoch`: the saved inventory was lost and a new epoch started; the stream carrying the old one must go. */
  constructor(
    private readonly stateDir: string,
    private readonly log: Logger,
    private readonly onNewEpoch: () => void,
  ) {}

  get outbox(): Outbox {
    return this.box!;
  }

  get head(): StateHead {
    return this.current!;
  }

  /** Opens the outbox and inventory.json and reconciles them (a new epoch when they cannot be). */
  async open(): Promise<void> {
    const dir = path.join(this.stateDir, 'outbox');
    try {
      this.box = await Outbox.open(dir);
    } catch (err) {
      if (!(err instanceof OutboxCorruptError)) throw err;
      this.log.error({ err: err.message }, 'outbox is corrupt; starting a new epoch and sending a snapshot');
      this.box = await Outbox.reset(dir);
    }
    const saved = await this.readInventoryFile();
    const rebuilt = saved ? this.replayOnto(saved) : undefined;
    const state = rebuilt && stateOf(rebuilt);
    if (rebuilt && state && (rebuilt.digestVersion !== 2 || state.digest() === rebuilt.digest)) {
      if (rebuilt.digestVersion !== 2) {
        // Written by an agent whose digests were v1: the same state, its digest recomputed in v2.
        this.log.info({ seq: rebuilt.seq }, 'local state holds v1 inventory digests; recomputing them as v2');
        rebuilt.digest = state.digest();
        rebuilt.digestVersion = 2;
        await this.outbox.upgradeDigests(rebuilt.digest);
      }
      this.lthash = state;
      // Replayed deltas and upgraded digests are written back, so that the file is again what the state says.
      if (rebuilt !== saved || saved.digestVersion !== 2 || !saved.digestState) await this.writeInventoryFile(rebuilt);
      this.setState(rebuilt);
      return;
    }
    if (saved || this.outbox.lastSeq > 0) {
      this.log.warn({ epoch: this.outbox.epoch }, 'local inventory does not match the outbox; starting a new epoch');
      await this.outbox.reset();
    }
    await this.startEmpty();
  }

  /** Lets go of the components held in memory and of the timer that would. */
  close(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
  }

  private async startEmpty(): Promise<void> {
    this.lthash = DigestState.empty();
    const empty: LocalState = { epoch: this.outbox.epoch, seq: this.outbox.lastSeq, digest: this.lthash.digest(), digestVersion: 2, components: [], ports: [] };
    await this.writeInventoryFile(empty);
    this.setState(empty);
  }

  private setState(s: LocalState): void {
    this.current = headOf(s);
    this.hold(s.components);
  }

  /** Keeps `components` in memory until HOLD_MS after the last use. */
  private hold(components: Component[]): Component[] {
    this.held = components;
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => (this.held = undefined), HOLD_MS);
    this.holdTimer.unref();
    return components;
  }

  /** The base for a partial collection; undefined before any inventory (a new epoch), when only a full one will do. */
  async base(): Promise<Component[] | undefined> {
    const components = await this.components();
    return this.head.seq === 0 ? undefined : components;
  }

  /**
   * The components of the current state, from memory or from inventory.json. A file
   * that vanished or no longer matches the state cannot be the base of a diff: the
   * agent starts a new epoch from nothing, and its next delta is the whole inventory,
   * which makes the server take a snapshot.
   */
  async components(): Promise<Component[]> {
    if (this.held) return this.hold(this.held);
    const s = await this.readInventoryFile();
    const h = this.head;
    // Host-state commits leave the file at an earlier seq with the same components (the same digest).
    if (s && s.epoch === h.epoch && s.seq <= h.seq && s.digest === h.digest && s.digestVersion === h.digestVersion && s.components.length === h.count) return this.hold(s.components);
    this.log.error({ file: path.join(this.stateDir, INVENTORY_FILE) }, 'saved inventory is missing or does not match the agent state; starting a new epoch');
    await this.outbox.reset();
    await this.startEmpty();
    // The stream carries the old epoch: a new one opens with a hello, and the server asks for a snapshot.
    this.onNewEpoch();
    return [];
  }

  /**
   * Appends the delta from the local state to `next`, if anything changed, and makes
   * `next` the state. Returns the seq now held and whether a delta was appended.
   */
  async commit(next: Collected, agentId: string): Promise<{ seq: number; appended: boolean }> {
    const prev = inventoryMap(await this.components());
    const changes = diffInventories(prev, next.components);
    const inUse = nextInUse(next, this.head.inUse);
    // The digest follows from the changes alone: what went out of the state, what came in.
    const lthash = (): DigestState => {
      const st = this.lthash.clone();
      for (const key of changes.removed) st.remove(prev.get(key)!);
      for (const c of changes.added) st.add(c);
      return st;
    };
    return this.append(next, inUse, { ...changes, lthash, components: () => [...next.components.values()] }, agentId);
  }

  /**
   * Commits host state alone (sockets, facts, components in use), the components
   * being the current ones: nothing is read back or compared but the state itself,
   * so a socket that opens costs what the sockets cost, not what the inventory does.
   */
  async commitHostState(next: Omit<Collected, 'components'>, agentId: string): Promise<{ seq: number; appended: boolean }> {
    const head = this.head;
    // The components are unchanged, so the keys in use last seen still name installed ones.
    return this.append(next, next.inUse ?? head.inUse, { added: [], removed: [] }, agentId);
  }

  private async append(
    next: Omit<Collected, 'components'>,
    inUse: string[] | undefined,
    changes: { added: Component[]; removed: string[]; lthash?: () => DigestState; components?: () => Component[] },
    agentId: string,
  ): Promise<{ seq: number; appended: boolean }> {
    const head = this.head;
    const { added, removed } = changes;
    const portsChanged = !samePorts(head.ports, next.ports);
    const osChanged = next.os !== undefined && !same(next.os, head.os);
    const kernelChanged = next.kernel !== undefined && !same(next.kernel, head.kernel);
    const factsChanged = next.facts !== undefined && !same(next.facts, head.facts);
    const inUseChanged = inUse !== undefined && !same(inUse, head.inUse);
    const first = head.seq === 0 && this.outbox.lastSeq === 0;
    if (!first && added.length === 0 && removed.length === 0 && !portsChanged && !osChanged && !kernelChanged && !factsChanged && !inUseChanged) return { seq: head.seq, appended: false };
    const lthash = changes.lthash?.() ?? this.lthash;
    const digest = lthash.digest();
    const delta: Delta = {
      agentId,
      epoch: this.outbox.epoch,
      baseSeq: this.outbox.lastSeq,
      seq: this.outbox.lastSeq + 1,
      added,
      removed,
      ports: next.ports,
      digestAfter: digest,
      digestVersion: 2,
    };
    if (next.facts && (first || factsChanged)) delta.facts = next.facts;
    if (next.os && (first || osChanged)) delta.os = next.os;
    if (next.kernel && (first || kernelChanged)) delta.kernel = next.kernel;
    if (inUse && (first || inUseChanged)) delta.inUse = inUse;
    await this.outbox.append(delta);
    const state: Omit<LocalState, 'components'> = {
      epoch: this.outbox.epoch,
      seq: delta.seq,
      digest,
      digestVersion: 2,
      ports: next.ports,
    };
    const facts = next.facts ?? head.facts;
    const os = next.os ?? head.os;
    const kernel = next.kernel ?? head.kernel;
    if (facts) state.facts = facts;
    if (os) state.os = os;
    if (kernel) state.kernel = kernel;
    if (inUse) state.inUse = inUse;
    if (!changes.components) {
      // inventory.json holds the components; a host-state commit leaves them, and their
      // copy in memory, as they are (the outbox holds the new state until a component
      // change writes the file again).
      this.current = { ...state, count: head.count };
      return { seq: delta.seq, appended: true };
    }
    const full: LocalState = { ...state, components: changes.components() };
    this.lthash = lthash;
    this.setState(full);
    await this.writeInventoryFile(full);
    return { seq: delta.seq, appended: true };
  }

  /** The saved inventory brought up to the outbox's last seq, or undefined when they cannot be reconciled. */
  private replayOnto(saved: LocalState): LocalState | undefined {
    if (saved.epoch !== this.outbox.epoch) return undefined;
    const pending = this.outbox.pending();
    const lastDigest = pending.at(-1)?.digestAfter ?? this.outbox.ackedDigest;
    // The file and the outbox may hold different digest versions (one written before v2): compare in the outbox's.
    const version = this.outbox.lastDigestVersion;
    const savedDigest = (saved.digestVersion ?? 1) === version ? saved.digest : digestIn(version, saved.components);
    if (saved.seq === this.outbox.lastSeq) return savedDigest === lastDigest ? restamp(saved, savedDigest, version) : undefined;
    if (saved.seq < this.outbox.lastSeq && savedDigest === lastDigest) {
      // Only host state changed since the file was written (or the components came back
      // to the same set): its components stand; the host state is the latest still queued.
      const out: LocalState = { ...restamp(saved, savedDigest, version), seq: this.outbox.lastSeq };
      for (const d of pending) {
        if (d.seq <= saved.seq) continue;
        out.ports = d.ports;
        if (d.facts) out.facts = d.facts;
        if (d.os) out.os = d.os;
        if (d.kernel) out.kernel = d.kernel;
        if (d.inUse) out.inUse = d.inUse;
      }
      return out;
    }
    // The file is written after the delta is appended; a crash between the two leaves it one step behind.
    const from = pending.findIndex((d) => d.baseSeq === saved.seq);
    if (from < 0) return undefined;
    let map = inventoryMap(saved.components);
    // The saved LtHash state is not the replayed inventory's.
    const { digestState: _, ...unstated } = saved;
    const out: LocalState = { ...unstated };
    try {
      for (const d of pending.slice(from)) {
        map = applyDelta(map, d);
        out.ports = d.ports;
        if (d.facts) out.facts = d.facts;
        if (d.os) out.os = d.os;
        if (d.kernel) out.kernel = d.kernel;
        if (d.inUse) out.inUse = d.inUse;
        out.seq = d.seq;
      }
    } catch {
      return undefined;
    }
    out.components = [...map.values()];
    out.digest = digestIn(version, map);
    return out.digest === lastDigest ? restamp(out, out.digest, version) : undefined;
  }

  private async readInventoryFile(): Promise<LocalState | undefined> {
    try {
      const s = JSON.parse(await readFile(path.join(this.stateDir, INVENTORY_FILE), 'utf8')) as LocalState;
      if (!Number.isSafeInteger(s.epoch) || !Number.isSafeInteger(s.seq) || !Array.isArray(s.components)) return undefined;
      return s;
    } catch {
      return undefined;
    }
  }

  /** Writes `s` with the LtHash state behind its digest (this.lthash, which must be `s`'s). */
  private async writeInventoryFile(s: LocalState): Promise<void> {
    await mkdir(this.stateDir, { recursive: true });
    const file = path.join(this.stateDir, INVENTORY_FILE);
    const doc: LocalState = { ...s, digestVersion: 2, digestState: this.lthash.toBuffer().toString('base64') };
    await writeFileAtomic(file, JSON.stringify(doc), { mode: 0o600, regularOnly: true });
  }
}
