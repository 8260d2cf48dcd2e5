import path from 'node:path';
import type { Component, OsInfo, Problem } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';
import type { CollectContext, CollectResult, Collector, FileOwners } from '../collector.js';
import { problem, problemFrom } from '../problems.js';
import { resolveInRoot } from '../rootfs.js';
import { parseRpmHeader, RpmFormatError, type RpmHeader } from './rpm-header.parse.js';

/**
 * What the three rpmdb backends (sqlite, BerkeleyDB, ndb) share: each only turns its
 * file into header blobs; mapping headers to components, problems and file owners
 * happens here once.
 */

/** One package record of a database: its key and header blob, or why it is unreadable. */
export type RpmRecord = { key: number; blob: Uint8Array } | { key: number; error: string };

export interface RpmDatabase {
  /** Records in database order. Throwing mid-way means the rest of the database is unreadable. */
  records(): Iterable<RpmRecord>;
  close(): void;
}

export interface RpmBackend {
  name: string;
  version: number;
  /** Candidate database paths, root-relative; the same file reached twice is read once. */
  databases: readonly string[];
  /** Open the database at `resolved` (root-relative, symlinks already resolved in the root). */
  open(ctx: CollectContext, resolved: string): Promise<RpmDatabase>;
}

/** Largest database file read into memory. */
export const MAX_DB_BYTES = 1024 * 1024 * 1024;

// rpmbuild's own character rules (build/parsePreamble.c): names are alphanumerics and
// `._+%{}-`, versions and releases alphanumerics and `._+%{}~^`, neither contains `..`.
// A header breaking them was not written by rpm, so its values are not trusted.
const NAME_RE = /^[A-Za-z0-9_%{}][A-Za-z0-9._+%{}-]*$/;
const VERREL_RE = /^[A-Za-z0-9._+%{}~^]+$/;
const ARCH_RE = /^[A-Za-z0-9_.+-]+$/;

/** A value for a problem message: quoted, escaped and cut short. */
function shown(value: string): string {
  return JSON.stringify(value.length > 80 ? value.slice(0, 80) + '…' : value);
}

/** Why a header's identity cannot be trusted, or undefined when it can. */
export function identityError(h: RpmHeader): string | undefined {
  if (!NAME_RE.test(h.name) || h.name.includes('..')) return `package name ${shown(h.name)} has characters rpm does not allow`;
  for (const [field, v] of [['version', h.version], ['release', h.release]] as const) {
    if (!VERREL_RE.test(v) || v.includes('..')) return `package ${h.name} has ${field} ${shown(v)} with characters rpm does not allow`;
  }
  if (h.arch !== undefined && !ARCH_RE.test(h.arch)) return `package ${h.name} has arch ${shown(h.arch)} with characters rpm does not allow`;
  return undefined;
}

/** `util-linux-2.32.1-42.el8_8.src.rpm` → util-linux, 2.32.1-42.el8_8; undefined when not that shape. */
export function parseSourceRpm(file: string): { name: string; version: string } | undefined {
  const stem = file.endsWith('.src.rpm') ? file.slice(0, -8) : file.endsWith('.nosrc.rpm') ? file.slice(0, -10) : undefined;
  if (!stem) return undefined;
  const r = stem.lastIndexOf('-');
  const v = r > 0 ? stem.lastIndexOf('-', r - 1) : -1;
  if (v <= 0) return undefined;
  const name = stem.slice(0, v);
  const version = stem.slice(v + 1, r);
  const release = stem.slice(r + 1);
  if (!NAME_RE.test(name) || name.includes('..') || !VERREL_RE.test(version) || !VERREL_RE.test(release)) return undefined;
  return { name, version: `${version}-${release}` };
}

function recordLabel(key: number): string {
  return key >= 0 ? `package record ${key}` : 'a package record';
}

/** Matches a header to the component made from it, for file ownership. */
function identityKey(location: string, name: string, epoch: number | undefined, version: string, release: string | undefined, arch: string | undefined): string {
  return [location, name, epoch ?? '', version, release ?? '', arch ?? ''].join('\0');
}

export function rpmComponent(h: RpmHeader, foundBy: string, location: string, os: OsInfo | undefined): Component {
  const source = h.sourceRpm !== undefined ? parseSourceRpm(h.sourceRpm) : undefined;
  const upstream = source ? h.sourceRpm : undefined;
  const c: Component = {
    ecosystem: 'rpm',
    name: h.name,
    version: h.version,
    release: h.release,
    // Syft's form, which Grype reads: epoch is a qualifier, not part of the version.
    purl: formatPurl({
      type: 'rpm',
      namespace: os?.id,
      name: h.name,
      version: `${h.version}-${h.release}`,
      qualifiers: { arch: h.arch, epoch: h.epoch?.toString(), distro: os?.distro, upstream },
    }),
    locations: [location],
    foundBy,
  };
  if (h.epoch !== undefined) c.epoch = h.epoch;
  if (h.arch !== undefined) c.arch = h.arch;
  if (source) c.source = source;
  if (h.license) c.licenses = [h.license];
  c.metadata = {
    vendor: h.vendor ?? null,
    modularityLabel: h.modularityLabel ?? null,
    sourceRpm: upstream ?? null,
    size: h.size ?? null,
  };
  if (h.summary !== undefined) c.metadata.summary = h.summary;
  return c;
}

/**
 * gpg-pubkey "packages" are the signing keys imported with `rpm --import`: no files,
 * no arch, versions that are key ids. They are not installed software, no advisory
 * names them, and listing them as components would only add noise to inventories and
 * SBOMs, so they are left out (none of the reference `rpm -qa` lists include one).
 */
const PSEUDO_PACKAGES = new Set(['gpg-pubkey']);

interface Visit {
  location: string;
  header: RpmHeader;
}

/**
 * Read every database of the backend that exists in the root, calling `visit` for
 * each trustworthy header. `report` says whether per-record problems are wanted
 * (file ownership runs after collection, which already reported them).
 */
async function eachHeader(ctx: CollectContext, backend: RpmBackend, report: boolean, problems: Problem[], visit: (v: Visit) => void): Promise<void> {
  const seen = new Set<string>();
  for (const location of backend.databases) {
    ctx.signal?.throwIfAborted();
    let db: RpmDatabase;
    try {
      const resolved = await resolveInRoot(ctx.root, location);
      if (resolved === undefined || seen.has(resolved)) continue;
      seen.add(resolved);
      db = await backend.open(ctx, resolved);
    } catch (err) {
      if (report) problems.push(problemFrom(backend.name, location, err, err instanceof RpmFormatError ? 'corrupt' : undefined));
      continue;
    }
    try {
      for (const rec of db.records()) {
        ctx.signal?.throwIfAborted();
        if ('error' in rec) {
          if (report) problems.push(problem(backend.name, location, 'malformed-record', `${recordLabel(rec.key)}: ${rec.error}`));
          continue;
        }
        let header: RpmHeader;
        try {
          header = parseRpmHeader(rec.blob);
        } catch (err) {
          if (!(err instanceof RpmFormatError)) throw err;
          if (report) problems.push(problem(backend.name, location, 'malformed-record', `${recordLabel(rec.key)}: ${err.message}`));
          continue;
        }
        if (PSEUDO_PACKAGES.has(header.name)) continue;
        const bad = identityError(header);
        if (bad) {
          if (report) problems.push(problem(backend.name, location, 'malformed-record', `${recordLabel(rec.key)}: ${bad}; left out`));
          continue;
        }
        visit({ location, header });
      }
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      if (report) problems.push(problemFrom(backend.name, location, err, err instanceof RpmFormatError ? 'corrupt' : undefined));
    } finally {
      db.close();
    }
  }
}

async function collect(backend: RpmBackend, ctx: CollectContext): Promise<CollectResult> {
  const out: CollectResult = { components: [], problems: [] };
  const purls = new Set<string>();
  await eachHeader(ctx, backend, true, out.problems, ({ location, header }) => {
    const c = rpmComponent(header, backend.name, location, ctx.os);
    if (header.sourceRpm && !c.source) {
      out.problems.push(problem(backend.name, location, 'malformed-record', `package ${header.name}: source rpm ${shown(header.sourceRpm)} is not name-version-release.src.rpm; source left out`));
    }
    // A database can hold the same header twice after an interrupted transaction.
    const id = `${c.purl}\0${location}`;
    if (purls.has(id)) return;
    purls.add(id);
    out.components.push(c);
  });
  return out;
}

async function fileOwners(backend: RpmBackend, ctx: CollectContext, components: Component[], keep?: (path: string) => boolean): Promise<FileOwners> {
  const owners = new Map<string, Component>();
  const problems: Problem[] = [];
  const wanted = new Map<string, Component>();
  for (const c of components) {
    const location = c.locations[0];
    if (c.foundBy === backend.name && location) wanted.set(identityKey(location, c.name, c.epoch, c.version, c.release, c.arch), c);
  }
  if (!wanted.size) return { owners, problems };
  await eachHeader(ctx, backend, false, problems, ({ location, header: h }) => {
    const c = wanted.get(identityKey(location, h.name, h.epoch, h.version, h.release, h.arch));
    if (!c) return;
    let files: string[];
    try {
      files = h.files();
    } catch (err) {
      problems.push(problemFrom(backend.name, location, err, 'malformed-record'));
      return;
    }
    let unsafe = 0;
    for (const f of files) {
      // Paths come from the database: anything not absolute or climbing with `..`
      // could name a file outside the package's reach and is not trusted.
      if (!f.startsWith('/') || f.includes('\0') || f.split('/').includes('..')) {
        unsafe++;
        continue;
      }
      const p = path.posix.normalize(f);
      if (!owners.has(p) && (!keep || keep(p))) owners.set(p, c);
    }
    if (unsafe) problems.push(problem(backend.name, location, 'malformed-record', `package ${h.name}: ${unsafe} file path(s) not absolute or climbing with ".."; left out`));
  });
  return { owners, problems };
}

/** A Collector reading one rpmdb backend. */
export function rpmCollector(backend: RpmBackend): Collector {
  return {
    name: backend.name,
    version: backend.version,
    databases: backend.databases,
    collect: (ctx) => collect(backend, ctx),
    fileOwners: (ctx, components, keep) => fileOwners(backend, ctx, components, keep),
  };
}
