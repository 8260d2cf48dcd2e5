import type { Component } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { problem, problemFrom } from '../problems.js';
import { readInRootSync } from '../rootfs.js';
import { collectEach } from '../text-file.js';
import { isGemName, isGemPlatform, isGemVersion, parseGemspec, shown } from './gemspec.parse.js';

/**
 * Installed Ruby gems, one per specification file of a gem home:
 * `<home>/specifications/*.gemspec` and the default gems Ruby ships in
 * `<home>/specifications/default/`. Gem homes are wherever RubyGems or Bundler put them
 * (`/usr/lib/ruby/gems/3.1.0`, `/var/lib/gems/3.1.0`, `~/.gem/ruby/3.1.0`, Debian's
 * `/usr/share/rubygems-integration/*`, a project's `vendor/bundle/ruby/3.1.0`); a
 * project's own `*.gemspec` (Ruby source, not an installed gem) is not read.
 */

const NAME = 'gem-installed';
/** Generated specifications are a few KiB; their file lists make large gems' longer. */
export const MAX_GEMSPEC_BYTES = 4 * 1024 * 1024;

function wants(p: string, base: string): boolean {
  if (!base.endsWith('.gemspec') || base.length === '.gemspec'.length) return false;
  const dir = p.slice(0, p.length - base.length - 1);
  return dir.endsWith('/specifications') || dir.endsWith('/specifications/default');
}

async function collectFile(ctx: CollectContext, file: string, out: CollectResult): Promise<void> {
  let text: string | undefined;
  try {
    text = readInRootSync(ctx.root, file, { maxBytes: MAX_GEMSPEC_BYTES })?.toString('utf8');
  } catch (err) {
    out.problems.push(problemFrom(NAME, file, err));
    return;
  }
  if (text === undefined) return;
  // RubyGems separates the extensions of its third stub line with NUL; anywhere else NUL is binary data.
  const lines = text.split('\n');
  if (lines.some((l, i) => l.includes('\0') && !(i === 2 && l.startsWith('# stub: ')))) {
    out.problems.push(problem(NAME, file, 'corrupt', 'binary data in a gem specification'));
    return;
  }
  const spec = parseGemspec(text);
  const bad = (m: string) => out.problems.push(problem(NAME, file, 'malformed-record', m));
  if (!spec.name || !spec.version) return void bad(`gem specification without ${[!spec.name && 'name', !spec.version && 'version'].filter(Boolean).join(' and ')}`);
  if (!isGemName(spec.name)) return void bad(`invalid gem name ${shown(spec.name)}`);
  if (!isGemVersion(spec.version)) return void bad(`gem ${spec.name}: invalid version ${shown(spec.version)}`);
  if (spec.platform !== undefined && !isGemPlatform(spec.platform)) return void bad(`gem ${spec.name} ${spec.version}: invalid platform ${shown(spec.platform)}`);
  const metadata: NonNullable<Component['metadata']> = {};
  if (spec.platform && spec.platform !== 'ruby') metadata.platform = spec.platform;
  if (file.endsWith(`/specifications/default/${file.slice(file.lastIndexOf('/') + 1)}`)) metadata.default = true;
  const c: Component = {
    ecosystem: 'gem',
    name: spec.name,
    version: spec.version,
    purl: formatPurl({ type: 'gem', name: spec.name, version: spec.version }),
    locations: [file],
    foundBy: NAME,
  };
  if (spec.licenses.length) c.licenses = spec.licenses;
  if (Object.keys(metadata).length) c.metadata = metadata;
  out.components.push(c);
}

function collect(ctx: CollectContext): Promise<CollectResult> {
  return collectEach(ctx, 'gem specifications', collectFile);
}

export const gemInstalledCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [],
  wants,
  collect,
};
