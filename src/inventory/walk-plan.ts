import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * What a whole-root walk leaves out, and what it walks but marks: pseudo and network
 * file systems (by mount type, from /proc/self/mountinfo), fixed pseudo and
 * container-storage paths, and package caches. A cache holds downloads, not installed
 * software: the ones whose contents are never what runs are skipped, the ones other
 * scanners report (a Maven local repository) are walked and what is found only there
 * carries the cache's name.
 */

/** Never entered on any root: kernel interfaces, scratch space, other systems' container storage. */
export const PSEUDO_FS_PATHS: ReadonlySet<string> = new Set([
  '/proc',
  '/sys',
  '/dev',
  '/run',
  '/tmp',
  '/var/tmp',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/lib/containers',
  '/var/lib/kubelet',
  '/var/lib/lxc',
  '/var/lib/lxd',
  '/var/lib/machines',
  '/snap',
]);

/** Kernel, memory and automount file systems: nothing installed lives there. */
export const PSEUDO_FS_TYPES: ReadonlySet<string> = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'tmpfs', 'ramfs', 'cgroup', 'cgroup2', 'securityfs', 'debugfs', 'tracefs', 'pstore',
  'bpf', 'configfs', 'fusectl', 'mqueue', 'hugetlbfs', 'autofs', 'binfmt_misc', 'efivarfs', 'nsfs', 'rpc_pipefs', 'selinuxfs',
  'nfsd', 'fuse.gvfsd-fuse', 'fuse.portal', 'fuse.lxcfs',
]);

/** Network file systems: walking them reads another machine's files over the wire. */
export const NETWORK_FS_TYPES: ReadonlySet<string> = new Set([
  'nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'ncpfs', 'afs', 'ceph', 'glusterfs', 'lustre', 'gpfs', 'beegfs', 'davfs', 'coda',
  'fuse.sshfs', 'fuse.rclone', 'fuse.s3fs', 'fuse.gcsfuse', 'fuse.davfs2', 'fuse.glusterfs', 'fuse.cephfs', 'fuse.juicefs',
  'fuse.goofys', 'fuse.blobfuse', 'fuse.blobfuse2', 'fuse.mountpoint-s3',
]);

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
}

const MAX_MOUNTINFO_LINES = 100_000;

/** `\040` and the other octal escapes the kernel writes for space, tab, newline and backslash. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/**
 * Parses /proc/self/mountinfo (proc(5)): `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS
 * [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS`. A line that does not have that shape is
 * reported by number and skipped.
 */
export function parseMountInfo(text: string): { mounts: MountEntry[]; errors: string[] } {
  const mounts: MountEntry[] = [];
  const errors: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && i < MAX_MOUNTINFO_LINES; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const fields = line.split(' ');
    const dash = fields.indexOf('-', 6);
    if (fields.length < 10 || dash < 0 || dash + 2 >= fields.length || !/^\d+$/.test(fields[0]!) || !/^\d+:\d+$/.test(fields[2]!) || !fields[4]!.startsWith('/')) {
      errors.push(`line ${i + 1}: not a mountinfo record`);
      continue;
    }
    mounts.push({ mountPoint: unescapeMount(fields[4]!), fsType: fields[dash + 1]!, source: unescapeMount(fields[dash + 2]!) });
  }
  if (lines.length > MAX_MOUNTINFO_LINES) errors.push(`more than ${MAX_MOUNTINFO_LINES} lines; the rest was not read`);
  return { mounts, errors };
}

/** Why a mount of this type is not walked, or undefined when it is walked. */
export function mountSkipReason(fsType: string): 'pseudo' | 'network' | undefined {
  if (PSEUDO_FS_TYPES.has(fsType)) return 'pseudo';
  if (NETWORK_FS_TYPES.has(fsType)) return 'network';
  return undefined;
}

/**
 * The mount points strictly inside `root` (host path) that the walk must not enter,
 * as root-relative paths with the reason. Mounted over the same point twice, the
 * last mount is what is visible, so it decides. The root itself is always walked.
 */
export function mountSkips(mounts: readonly MountEntry[], root: string): Map<string, string> {
  const top = new Map<string, MountEntry>();
  for (const m of mounts) top.set(m.mountPoint, m);
  const out = new Map<string, string>();
  const prefix = root === '/' ? '/' : root.replace(/\/+$/, '') + '/';
  for (const [point, m] of top) {
    if (point === root || !point.startsWith(prefix)) continue;
    const why = mountSkipReason(m.fsType);
    if (!why) continue;
    const rel = root === '/' ? point : '/' + path.posix.relative(root, point);
    out.set(rel, `${why} file system (${m.fsType})`);
  }
  return out;
}

/** Root-relative form of a host mount point under `root`, or undefined outside it. */
function underRoot(point: string, root: string): string | undefined {
  if (root === '/') return point;
  const top = root.replace(/\/+$/, '');
  if (point === top) return '/';
  return point.startsWith(top + '/') ? point.slice(top.length) : undefined;
}

/**
 * This machine's mounts under `root`: those the walk must not enter, and every mount
 * point (root-relative). Undefined mount points when mountinfo cannot be read (not
 * Linux, no /proc): the walk then stat's every directory.
 */
export function readMounts(root: string, file = '/proc/self/mountinfo'): { skips: Map<string, string>; points: Set<string> | undefined; errors: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { skips: new Map(), points: undefined, errors: [] };
  }
  const { mounts, errors } = parseMountInfo(text);
  const points = new Set<string>();
  for (const m of mounts) {
    const rel = underRoot(m.mountPoint, root);
    if (rel !== undefined) points.add(rel);
  }
  return { skips: mountSkips(mounts, root), points, errors };
}

/**
 * A cache directory, recognised by the end of its path wherever it is (any user's
 * home, a service account's). `walk: true` caches are walked and their finds marked;
 * the others are skipped unless caches are asked for (then walked and marked too).
 * `keep` names sub-paths walked even when the cache is skipped, unmarked: they hold
 * environments, not downloads.
 */
export interface CacheRule {
  /** Path segments the directory's path ends with (`['.m2', 'repository']`), or an absolute path. */
  suffix: readonly string[] | string;
  cache: string;
  walk: boolean;
  keep?: readonly string[];
  /** A child the directory must have (checked with one stat), to tell a cache from a look-alike. */
  requires?: string;
  /** A sibling the directory must have (from the parent's listing, free). */
  sibling?: string;
  why: string;
}

export const CACHE_RULES: readonly CacheRule[] = [
  { suffix: ['.m2', 'repository'], cache: 'maven-local-repository', walk: true, why: 'artifacts Maven downloaded for builds; other scanners report them' },
  { suffix: ['.gradle', 'caches'], cache: 'gradle-cache', walk: true, why: 'artifacts Gradle downloaded for builds' },
  { suffix: ['.ivy2', 'cache'], cache: 'ivy-cache', walk: true, why: 'artifacts Ivy and sbt downloaded for builds' },
  { suffix: ['.npm', '_npx'], cache: 'npx-cache', walk: true, why: 'packages npx installed to run' },
  { suffix: 'pkgs', sibling: 'conda-meta', cache: 'conda-package-cache', walk: true, why: "conda's extracted package cache" },
  { suffix: ['.npm', '_cacache'], cache: 'npm-cache', walk: false, why: "npm's content-addressed tarball cache: nothing unpacked" },
  { suffix: ['.cache'], cache: 'user-cache', walk: false, keep: ['pypoetry/virtualenvs'], why: "per-user caches (pip's, Go's build cache, other tools')" },
  { suffix: ['pkg', 'mod'], requires: 'cache/download', cache: 'go-module-cache', walk: false, why: "the Go module cache: sources of every module ever downloaded, not what a binary was built with" },
  { suffix: ['.cargo', 'registry'], cache: 'cargo-registry', walk: false, why: "Cargo's downloaded crate sources" },
  { suffix: ['.cargo', 'git'], cache: 'cargo-registry', walk: false, why: "Cargo's git checkouts of dependencies" },
  { suffix: ['.yarn', 'berry', 'cache'], cache: 'yarn-cache', walk: false, why: "Yarn's zipped package cache" },
  { suffix: ['.local', 'share', 'pnpm', 'store'], cache: 'pnpm-store', walk: false, why: "pnpm's content-addressed store" },
  { suffix: '/var/cache', cache: 'system-cache', walk: false, why: "system caches (APT's downloaded .deb files, others)" },
];

/** What the walk does with one directory. */
export type DirDecision = { skip: true; keep: readonly string[]; reason: string } | { skip: false; cache: string; keep: readonly string[] };

const LAST = new Map<string, CacheRule[]>();
for (const r of CACHE_RULES) {
  const last = typeof r.suffix === 'string' ? path.posix.basename(r.suffix) : r.suffix[r.suffix.length - 1]!;
  LAST.set(last, [...(LAST.get(last) ?? []), r]);
}

function endsWith(rel: string, rule: CacheRule): boolean {
  if (typeof rule.suffix === 'string') return rule.suffix.startsWith('/') ? rel === rule.suffix : true;
  const parts = rel.split('/');
  if (parts.length - 1 < rule.suffix.length) return false;
  for (let i = 1; i <= rule.suffix.length; i++) if (parts[parts.length - i] !== rule.suffix[rule.suffix.length - i]) return false;
  return true;
}

/**
 * The cache rule of directory `rel` (root-relative, as found), named `name`;
 * `sibling` says whether its parent has an entry of a name, `host` gives its host
 * path for a rule that must look inside.
 */
export function cacheRuleFor(rel: string, name: string, sibling: (name: string) => boolean, host: () => string): CacheRule | undefined {
  const rules = LAST.get(name);
  if (!rules) return undefined;
  for (const r of rules) {
    if (!endsWith(rel, r)) continue;
    if (r.sibling && !sibling(r.sibling)) continue;
    if (r.requires && !statSync(path.join(host(), r.requires), { throwIfNoEntry: false })?.isDirectory()) continue;
    return r;
  }
  return undefined;
}

/** How a walk treats caches: skipped ones are walked and marked when `includeCaches` is set. */
export function cacheDecision(rule: CacheRule, includeCaches: boolean): DirDecision {
  if (rule.walk || includeCaches) return { skip: false, cache: rule.cache, keep: rule.keep ?? [] };
  return { skip: true, keep: rule.keep ?? [], reason: `${rule.cache}: ${rule.why}` };
}
