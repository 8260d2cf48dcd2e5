/**
 * Vigil's inventory model. Every collector produces these types; the SBOM writers,
 * the agent's delta logic and the matcher consume them. Paths in `locations` are
 * absolute inside the scanned root (always starting with `/`), never host paths.
 */

/**
 * Package ecosystems Vigil inventories; the value is the purl type. Each ecosystem's
 * registry file under `src/ecosystems/` adds its id here by declaration merging
 * (`declare module '../common/model.js' { interface ComponentEcosystems { npm: true } }`),
 * so a new ecosystem touches no shared file. `generic` (a file Vigil found but whose
 * ecosystem it cannot tell) belongs to none.
 */
export interface ComponentEcosystems {
  generic: true;
}
export type Ecosystem = keyof ComponentEcosystems & string;

export interface SourcePackage {
  name: string;
  /** Present only when the source version differs from the binary version or is known separately. */
  version?: string;
}

export interface Component {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  /** Maven group id, npm scope is part of the name. */
  namespace?: string;
  arch?: string;
  /** rpm epoch (null-able in rpm, undefined here when absent). */
  epoch?: number;
  /** rpm release. */
  release?: string;
  source?: SourcePackage;
  purl: string;
  /** Where the component was found, root-relative absolute paths, sorted. */
  locations: string[];
  licenses?: string[];
  /** Name of the collector that produced it. */
  foundBy: string;
  /** Collector-specific facts (vendor, modularity label, dev dependency, installed size...). */
  metadata?: Record<string, string | number | boolean | null | string[]>;
  /** True when a running process executes or maps one of the component's files (live hosts only). */
  inUse?: boolean;
}

export type ProblemCode =
  | 'unreadable'
  | 'corrupt'
  | 'malformed-record'
  | 'too-large'
  | 'unsupported'
  | 'skipped'
  /** A component's version is outside its format's grammar; it is still compared, as the format's tool compares it. */
  | 'unusual-version'
  /** A component's version cannot be ordered at all (empty, hostile text): it is matched against nothing. */
  | 'unordered-version'
  /** No imported feed covers a namespace the target's components belong to: they were not checked. */
  | 'not-covered'
  /** The newest record of the feeds covering the target is older than the allowed age. */
  | 'stale-data';

/** A per-file problem: a bad file never aborts the scan. */
export interface Problem {
  collector: string;
  /** Root-relative absolute path of the file at fault. */
  path: string;
  code: ProblemCode;
  message: string;
  /** The component the problem is about, when it is about one. */
  purl?: string;
}

export interface OsInfo {
  id: string;
  versionId?: string;
  versionCodename?: string;
  prettyName?: string;
  name?: string;
  idLike?: string[];
  /** `debian-12`, `ubuntu-22.04`, `alpine-3.19`: the purl `distro` qualifier and advisory namespace. */
  distro: string;
}

export type Exposure = 'loopback' | 'private' | 'any';

export interface ListeningPort {
  protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  address: string;
  port: number;
  exposure: Exposure;
  inode: number;
  pid?: number;
  process?: string;
  executable?: string;
  /** purl of the package owning the executable, when known. */
  package?: string;
}

export interface KernelInfo {
  /** Running kernel release from /proc (live hosts only). */
  running?: string;
  /** purl of the installed package that ships the running kernel. */
  runningPackage?: string;
  /** purls of installed kernel packages. */
  installed: string[];
}

export interface HostFacts {
  hostname: string;
  os: string;
  arch: string;
  addresses: string[];
  kernel?: string;
}

export type TargetKind = 'host' | 'rootfs' | 'path' | 'image';

export interface Inventory {
  schemaVersion: 1;
  tool: { name: 'vigil'; version: string };
  target: { kind: TargetKind; path: string };
  scannedAt: string;
  host?: HostFacts;
  os?: OsInfo;
  kernel?: KernelInfo;
  components: Component[];
  ports?: ListeningPort[];
  /** A scanned container image: its layers (digests of the blobs) and platform. */
  image?: {
    layers: Array<{ digest: string; size: number; diffId?: string }>;
    config: { os: string; architecture: string; created?: string };
    repoTags?: string[];
  };
  problems: Problem[];
}
