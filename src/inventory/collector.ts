import type { Logger } from 'pino';
import type { Component, OsInfo, Problem } from '../common/model.js';

/**
 * What every collector is handed. `root` is the host path of the scanned root
 * (`/` on a live host); collectors never read outside it.
 */
export interface CollectContext {
  root: string;
  /** Operating system of the root, when os-release was found (for purl qualifiers). */
  os?: OsInfo;
  /**
   * Files under the root that the walk engine matched with this collector's
   * `wants()`, root-relative absolute paths (`/usr/lib/node_modules/x/package.json`).
   */
  files: string[];
  /** `host` when scanning the live system the process runs on. */
  live: boolean;
  log: Logger;
  signal?: AbortSignal;
  /** Work shared with the other collectors of the same scan; absent, a collector does all its own. */
  shared?: SharedWork;
}

export interface CollectResult {
  components: Component[];
  problems: Problem[];
}

/**
 * One source of inventory. Database collectors name the fixed paths they read
 * (`databases`, also what the agent watches); file collectors say which walked
 * files they want, cheaply, by path alone.
 */
export interface Collector {
  readonly name: string;
  /** Bumped whenever the collector's output semantics change. */
  readonly version: number;
  /** Fixed database paths under the root, root-relative absolute. */
  readonly databases: readonly string[];
  /** Cheap path filter for the walk engine. Absent for pure database collectors. */
  wants?(path: string, basename: string): boolean;
  collect(ctx: CollectContext): Promise<CollectResult>;
  /**
   * Installed files owned by the given components of this collector, as a map from
   * root-relative absolute path to component (for ports and runtime use). Only
   * package-manager collectors implement it; it is only called when needed.
   * `keep` selects the listed paths worth holding: a host lists over a hundred
   * thousand owned paths, and a scan needs the owners of a few hundred.
   */
  fileOwners?(ctx: CollectContext, components: Component[], keep?: (path: string) => boolean): Promise<FileOwners>;
}

export interface FileOwners {
  owners: Map<string, Component>;
  problems: import('../common/model.js').Problem[];
}

/**
 * Work that several collectors of one scan do on the same walked files (the ELF
 * headers of the files the executable collectors are handed), done once: the first
 * caller's promise is every caller's. Keyed by a name, the root and the list of files
 * itself, so collectors handed different lists never share.
 */
export class SharedWork {
  private readonly done = new WeakMap<readonly string[], Map<string, Promise<unknown>>>();

  once<T>(what: string, root: string, files: readonly string[], work: () => Promise<T>): Promise<T> {
    let byKey = this.done.get(files);
    if (!byKey) this.done.set(files, (byKey = new Map()));
    const key = `${what}\u0000${root}`;
    let p = byKey.get(key) as Promise<T> | undefined;
    if (!p) byKey.set(key, (p = work()));
    return p;
  }
}
