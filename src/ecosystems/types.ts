import type { Component, Ecosystem, OsInfo } from '../common/model.js';
import type { VersionFormat } from '../versions/scheme.js';

/**
 * What Vigil knows about one ecosystem or distribution, in one place: the registry
 * (`index.ts`) is the only table of them, and the matcher, the advisory sources, the
 * coverage check and remediation look everything up there.
 */

/** Where the matcher looks a component up: one namespace, one name, one version of one scheme. */
export interface LookupTarget {
  namespace: string;
  package: string;
  version: string;
  scheme: VersionFormat;
  via: 'direct' | 'source';
}

/** An OS package manager as remediation uses it. Names are quoted for a POSIX shell when shown; Vigil never runs these. */
export interface OsPackageManager {
  /** `apt`, `dnf`, `yum`, `zypper`, `apk`. */
  name: string;
  refresh: string;
  upgrade(names: string[]): string;
  /** The fix for one package, in one line. */
  upgradeOne(c: Component, fixed: string | undefined): string;
  /** Why a held package is not upgraded by the command. */
  held(name: string): string;
}

/** A Linux distribution (or a family sharing one advisory namespace scheme). */
export interface Distribution {
  /** Registry id: `debian`, `rhel`, `amazon`. */
  readonly id: string;
  /** os-release `ID`s it answers for (`rhel`, `centos`). */
  readonly osIds: readonly string[];
  /** The component ecosystem of its OS packages. */
  readonly packages: Ecosystem;
  readonly scheme: VersionFormat;
  /**
   * The prefixes of its advisory namespaces (the part before `:`), as OSV spells them
   * where OSV has the distribution (`Debian`, `Rocky Linux`, `Red Hat`); records of
   * these ecosystems are read with this distribution's scheme.
   */
  readonly advisoryEcosystems: readonly string[];
  /** The advisory namespace of a host, or undefined when its release is unknown: guessing would invent findings. */
  namespace(os: OsInfo): string | undefined;
  /**
   * How advisories and inventories agree on a package name (`nameKeys.lower` for
   * Debian's case-insensitive names); exact when absent. Distributions sharing a
   * component ecosystem must agree, as one inventory index serves them all.
   */
  readonly nameKey?: (name: string) => string;
  /** The folder of osv.dev's export bucket with its records, and the feed name `vigil db update` gives it (`osv-<feed>`). */
  readonly osvExport?: { folder: string; feed: string };
  /** Advisories name the source package (Debian, Ubuntu; Alpine's origin), not the binary. */
  readonly bySource: boolean;
  /** The package manager of a release (`versionId` from os-release or the purl's `distro` qualifier). */
  manager(versionId: string | undefined): OsPackageManager;
  /**
   * The feed formats Vigil reads that carry this distribution's advisories. Empty: Vigil
   * has no feed for it, and a scan says its OS packages were not checked.
   */
  readonly feeds: readonly string[];
}

/** A language package ecosystem. */
export interface LanguageEcosystem {
  /** The component ecosystem (purl type). */
  readonly id: Ecosystem;
  /** The advisory namespace (OSV ecosystem): `npm`, `PyPI`, `Go`. */
  readonly namespace: string;
  /** How advisories and inventories agree on a package name (PEP 503 for PyPI); exact when absent. */
  readonly nameKey?: (name: string) => string;
  /**
   * The folder of osv.dev's export bucket holding this ecosystem's records
   * (`crates.io`, `PyPI`), and the feed name `vigil db update` gives it (`osv-<feed>`).
   */
  readonly osvExport?: { folder: string; feed: string };
  /** Whether a collector inventories its packages (else Vigil only reads its advisories). */
  readonly collected: boolean;
  readonly scheme: VersionFormat;
  /** Where a component is looked up; empty when it cannot be (a Maven artifact without its group). */
  lookup(c: Component): LookupTarget[];
  /** The component names an advisory's package key can match (the inverse of lookup). */
  names(packageKey: string): string[];
  /** The remediation step's manager name (`npm`, `pip`, `maven`, `go`). */
  readonly manager: string;
  /** The fix for one component, in one line, or undefined without a fixed version. */
  remediation(c: Component, fixed: string | undefined): string | undefined;
  /** The plan's commands for a group of fixes in one place (a project directory, a binary). */
  planCommands(groups: ReadonlyArray<{ package: string; fixedVersion: string }>, where: string): string[];
  /** Where a component's fix applies: its project directory, or the binary it is compiled into. */
  where(location: string): string;
}

/** Package-name keys shared by several declarations. */
export const nameKeys = {
  lower: (name: string): string => name.toLowerCase(),
  /** PEP 503: case-insensitive, runs of `-`, `_` and `.` are one `-`. */
  pep503: (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-'),
} as const;

/** Quoted for a POSIX shell when shown (names come from package databases). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9._+:@/=~^-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The major release (`12` of `12.5`). */
export function major(v: string | undefined): string | undefined {
  return v?.split('.')[0] || undefined;
}

/** A project directory of a lockfile or an installed package (`/app` of `/app/node_modules/x/package.json`). */
export function projectDir(location: string): string {
  if (location.includes('/node_modules/')) return location.slice(0, location.indexOf('/node_modules/')) || '/';
  return location.replace(/\/[^/]*$/, '') || '/';
}
