import type { Component, Problem } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';
import type { CollectContext, CollectResult, Collector, FileOwners } from '../collector.js';
import { problem, problemFrom } from '../problems.js';
import { readTextInRoot } from '../rootfs.js';
import { parseApkInstalled, type ApkRecord } from './apk.parse.js';
import { parseApkWorld } from './pins.parse.js';

const NAME = 'apk';
const INSTALLED = '/lib/apk/db/installed';
const WORLD = '/etc/apk/world';

function apkComponent(rec: ApkRecord, ctx: CollectContext): Component {
  const c: Component = {
    ecosystem: 'apk',
    name: rec.name,
    version: rec.version,
    source: { name: rec.origin ?? rec.name, version: rec.version },
    purl: formatPurl({
      type: 'apk',
      namespace: ctx.os?.id ?? 'alpine',
      name: rec.name,
      version: rec.version,
      qualifiers: { arch: rec.arch, distro: ctx.os?.distro, upstream: rec.origin && rec.origin !== rec.name ? rec.origin : undefined },
    }),
    locations: [INSTALLED],
    foundBy: NAME,
  };
  if (rec.arch) c.arch = rec.arch;
  if (rec.license) c.licenses = [rec.license];
  if (rec.maintainer) c.metadata = { maintainer: rec.maintainer };
  return c;
}

/** Owned files per component, kept from the last parse so fileOwners needs no second read. */
const filesByComponent = new WeakMap<Component, string[]>();

async function collect(ctx: CollectContext): Promise<CollectResult> {
  const out: CollectResult = { components: [], problems: [] };
  let text: string | undefined;
  try {
    text = await readTextInRoot(ctx.root, INSTALLED);
  } catch (err) {
    out.problems.push(problemFrom(NAME, INSTALLED, err));
    return out;
  }
  if (text === undefined) return out;
  const parsed = parseApkInstalled(text);
  for (const e of parsed.errors) out.problems.push(problem(NAME, INSTALLED, 'malformed-record', e.message));
  let world = new Map<string, string>();
  try {
    const w = await readTextInRoot(ctx.root, WORLD);
    if (w !== undefined) world = parseApkWorld(w);
  } catch (err) {
    out.problems.push(problemFrom(NAME, WORLD, err));
  }
  for (const rec of parsed.records) {
    const c = apkComponent(rec, ctx);
    // A version constraint in the world file holds the package where it is: apk add --upgrade will not pass it.
    const pin = world.get(c.name);
    if (pin) (c.metadata ??= {}).pinned = `${WORLD}: ${pin}`;
    filesByComponent.set(c, rec.files);
    out.components.push(c);
  }
  return out;
}

async function fileOwners(_ctx: CollectContext, components: Component[], keep?: (path: string) => boolean): Promise<FileOwners> {
  const owners = new Map<string, Component>();
  const problems: Problem[] = [];
  for (const c of components) for (const f of filesByComponent.get(c) ?? []) if (!keep || keep(f)) owners.set(f, c);
  return { owners, problems };
}

export const apkCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [INSTALLED],
  collect,
  fileOwners,
};
