import type { Component, OsInfo, Problem } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';
import type { CollectContext, CollectResult, Collector, FileOwners } from '../collector.js';
import { problem, problemFrom } from '../problems.js';
import { listInRoot, readInRootSync } from '../rootfs.js';
import { nameError, ownedFiles, versionError, PACMAN_ARCH_RE, PACMAN_NAME_RE, parseSections, single, splitEntryName, type DescFields } from './pacman.parse.js';

/**
 * Arch Linux packages from pacman's local database. Each package is listed under the
 * name and version of its directory, as `pacman -Q` lists it; `desc` adds the
 * architecture, the pkgbase (the source package), the licences and the packager, and
 * `files` the paths it owns.
 */

const NAME = 'pacman';
const LOCAL = '/var/lib/pacman/local';
const MAX_DESC_BYTES = 1024 * 1024;
const MAX_FILES_BYTES = 64 * 1024 * 1024;
/** Entries of the directory that are not packages. */
const NOT_PACKAGES = new Set(['ALPM_DB_VERSION']);

function pacmanComponent(name: string, version: string, desc: DescFields | undefined, location: string, os: OsInfo | undefined): Component {
  const arch = desc && single(desc, '%ARCH%');
  const base = desc && single(desc, '%BASE%');
  const validBase = base !== undefined && PACMAN_NAME_RE.test(base) && base.length <= 256 ? base : undefined;
  const c: Component = {
    ecosystem: 'alpm',
    name,
    version,
    source: { name: validBase ?? name, version },
    purl: formatPurl({
      type: 'alpm',
      namespace: os?.id ?? 'arch',
      name,
      version,
      qualifiers: {
        arch: arch && PACMAN_ARCH_RE.test(arch) ? arch : undefined,
        distro: os?.distro,
        upstream: validBase && validBase !== name ? validBase : undefined,
      },
    }),
    locations: [location],
    foundBy: NAME,
  };
  if (arch && PACMAN_ARCH_RE.test(arch)) c.arch = arch;
  const licenses = desc?.sections.get('%LICENSE%');
  if (licenses && licenses.length > 0) c.licenses = licenses.slice(0, 64);
  const packager = desc && single(desc, '%PACKAGER%');
  if (packager && packager !== 'Unknown Packager') c.metadata = { maintainer: packager.slice(0, 256) };
  return c;
}

/** Reads one entry's `desc`: its fields, 'absent' when there is none, or undefined with the problem recorded. */
function readDesc(ctx: CollectContext, path: string, out: CollectResult): DescFields | 'absent' | undefined {
  let data: Buffer | undefined;
  try {
    data = readInRootSync(ctx.root, path, { maxBytes: MAX_DESC_BYTES });
  } catch (err) {
    out.problems.push(problemFrom(NAME, path, err));
    return undefined;
  }
  if (data === undefined) return 'absent';
  const fields = parseSections(data.toString('utf8'));
  for (const e of fields.errors) out.problems.push(problem(NAME, path, 'malformed-record', e));
  return fields;
}

/** Where desc disagrees with the directory name; pacman calls the database inconsistent and goes by the directory. */
function checkIdentity(desc: DescFields, name: string, version: string, path: string, out: CollectResult): void {
  for (const [key, want] of [['%NAME%', name], ['%VERSION%', version]] as const) {
    const values = desc.sections.get(key);
    if (values === undefined) out.problems.push(problem(NAME, path, 'malformed-record', `desc has no ${key}; the package is listed under its directory name, as pacman lists it`));
    else if (values.length > 0 && (values.length !== 1 || values[0] !== want)) {
      out.problems.push(problem(NAME, path, 'malformed-record', `the database is inconsistent: desc's ${key} ${JSON.stringify(values[0]!.slice(0, 80))} is not the directory's ${JSON.stringify(want)}; listed under the directory's, as pacman lists it`));
    }
  }
}

async function collect(ctx: CollectContext): Promise<CollectResult> {
  const out: CollectResult = { components: [], problems: [] };
  let entries: string[] | undefined;
  try {
    entries = await listInRoot(ctx.root, LOCAL);
  } catch (err) {
    out.problems.push(problemFrom(NAME, LOCAL, err));
  }
  const seen = new Map<string, string>();
  for (const entry of entries ?? []) {
    if (NOT_PACKAGES.has(entry) || entry.startsWith('.')) continue;
    const dir = `${LOCAL}/${entry}`;
    const split = splitEntryName(entry);
    if (!split) {
      // pacman skips these too ("invalid name for database entry"), but a file beside the packages is no entry at all.
      if ((await listInRoot(ctx.root, dir).catch(() => undefined)) !== undefined) out.problems.push(problem(NAME, dir, 'malformed-record', `invalid name for database entry ${JSON.stringify(entry.slice(0, 80))}: not NAME-PKGVER-PKGREL`));
      continue;
    }
    const refused = nameError(split.name) ?? versionError(split.version);
    if (refused) {
      out.problems.push(problem(NAME, dir, 'malformed-record', `database entry not read: ${refused}`));
      continue;
    }
    const path = `${dir}/desc`;
    let desc = readDesc(ctx, path, out);
    if (desc === 'absent') {
      // pacman lists only directories; one without a desc it still lists, unable to read its details.
      if ((await listInRoot(ctx.root, dir).catch(() => undefined)) === undefined) continue;
      out.problems.push(problem(NAME, path, 'unreadable', 'the package has no desc file (pacman cannot read its details either); listed under its directory name'));
      desc = undefined;
    }
    // A desc nothing could be read from (binary data) has its problem already.
    if (desc && (desc.sections.size > 0 || desc.errors.length === 0)) checkIdentity(desc, split.name, split.version, path, out);
    const twin = seen.get(split.name);
    if (twin !== undefined) out.problems.push(problem(NAME, dir, 'malformed-record', `duplicated database entry: ${split.name} is also installed as ${twin}; pacman lists only one of them, Vigil both`));
    else seen.set(split.name, entry);
    out.components.push(pacmanComponent(split.name, split.version, desc, path, ctx.os));
  }
  return out;
}

async function fileOwners(ctx: CollectContext, components: Component[], keep?: (path: string) => boolean): Promise<FileOwners> {
  const owners = new Map<string, Component>();
  const problems: Problem[] = [];
  for (const c of components) {
    if (c.foundBy !== NAME || !PACMAN_NAME_RE.test(c.name)) continue;
    const path = `${LOCAL}/${c.name}-${c.version}/files`;
    try {
      // Hundreds of small files: read inline, as dpkg's lists are.
      const buf = readInRootSync(ctx.root, path, { maxBytes: MAX_FILES_BYTES });
      if (buf === undefined) continue;
      for (const f of ownedFiles(buf.toString('utf8'))) if (!keep || keep(f)) owners.set(f, c);
    } catch (err) {
      problems.push(problemFrom(NAME, path, err));
    }
  }
  return { owners, problems };
}

export const pacmanCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [LOCAL],
  collect,
  fileOwners,
};
