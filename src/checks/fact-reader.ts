import type { Component } from '../common/model.js';
import type { Fact, FactKind, FactSpec } from './model.js';

/**
 * What every reader is handed: the host path of the root (`/` on a live host) and,
 * read once per run when a check needs it, the root's installed packages from
 * Vigil's package-database collectors.
 */
export interface FactContext {
  root: string;
  live: boolean;
  packages(): Promise<{ components: Component[]; problems: string[] }>;
}

/** Bounds on what a reader reads: a config file over this is an error, not a hang. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * One kind of fact. A reader reads inside the root only (through inventory/rootfs.ts),
 * never runs a program, and throws only for a fact it cannot read (the check's
 * status is then `error`, with the message).
 */
export interface FactReader<S extends FactSpec = FactSpec> {
  readonly kind: FactKind;
  /** Expectation keys this kind's value can be compared with. */
  readonly expects: readonly string[];
  read(spec: S, ctx: FactContext): Promise<Fact>;
}
