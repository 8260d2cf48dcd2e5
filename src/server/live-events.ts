import { randomBytes } from 'node:crypto';

/**
 * What the console watches live: patch job and command transitions (as the patch
 * service emits them in the matcher worker, forwarded here), host state changes, and
 * a host's rescan steps (requested, inventory received, matched). Each event gets an
 * id `<boot>-<n>`; the last `capacity` events are kept, so a stream that reconnects
 * with `Last-Event-ID` is sent what it missed, and one whose id is from another
 * server run or already dropped is told to start again from a snapshot. Subscribers
 * are called as events arrive: no stream polls.
 */
export interface LiveEvent {
  id: string;
  /** The EventBridge detail type (`Patch Job State Change`...) or `Rescan Progress`. */
  type: string;
  /** `vigil:job/3`, `vigil:host/a-...`. */
  resources: string[];
  detail: Record<string, unknown>;
  time: string;
}

export const LIVE_TYPES = ['Patch Job State Change', 'Patch Command State Change', 'Host State Change'] as const;

export class LiveEvents {
  private readonly boot = randomBytes(4).toString('hex');
  private n = 0;
  private readonly kept: LiveEvent[] = [];
  private readonly listeners = new Set<(e: LiveEvent) => void>();
  private readonly streams = new Map<string, number>();

  constructor(
    private readonly capacity = 4096,
    /** Live streams one token may hold open at once. */
    readonly maxStreamsPerToken = 8,
    /** A comment line this often keeps idle streams open through proxies. */
    readonly heartbeatMs = 15_000,
  ) {}

  publish(type: string, resources: string[], detail: Record<string, unknown>, time = new Date().toISOString()): LiveEvent {
    const e = { id: `${this.boot}-${++this.n}`, type, resources, detail, time };
    this.kept.push(e);
    if (this.kept.length > this.capacity) this.kept.splice(0, this.kept.length - this.capacity);
    for (const fn of this.listeners) fn(e);
    return e;
  }

  subscribe(fn: (e: LiveEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Events of `resource` after the one with `lastId`; undefined when that id is not from this run or was dropped. */
  since(lastId: string, resource: string): LiveEvent[] | undefined {
    const m = /^([0-9a-f]{8})-(\d{1,15})$/.exec(lastId);
    if (!m || m[1] !== this.boot) return undefined;
    const n = Number(m[2]);
    const first = this.kept[0] ? Number(this.kept[0].id.split('-')[1]) : this.n + 1;
    if (n > this.n || n < first - 1) return undefined;
    return this.kept.filter((e) => Number(e.id.split('-')[1]) > n && e.resources.includes(resource));
  }

  /** The id the next event will follow, for a snapshot sent now. */
  lastId(): string {
    return `${this.boot}-${this.n}`;
  }

  /** Takes one of a token's stream places; undefined when it holds them all. The release is idempotent. */
  acquire(tokenId: string): (() => void) | undefined {
    const held = this.streams.get(tokenId) ?? 0;
    if (held >= this.maxStreamsPerToken) return undefined;
    this.streams.set(tokenId, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.streams.get(tokenId) ?? 1) - 1;
      if (left <= 0) this.streams.delete(tokenId);
      else this.streams.set(tokenId, left);
    };
  }

  open(): number {
    let n = 0;
    for (const v of this.streams.values()) n += v;
    return n;
  }
}
