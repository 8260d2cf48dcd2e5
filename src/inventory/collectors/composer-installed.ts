import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { collectEach } from '../text-file.js';
import { parseComposerInstalled } from './composer.parse.js';
import { collectComposerFile } from './composer-lock.js';

/**
 * PHP packages Composer installed, from the `composer/installed.json` it keeps in the
 * vendor directory (`vendor/` unless the project renames it): Composer 1's list and
 * Composer 2's object alike. Applications that ship their vendor directory (WordPress
 * plugins, built images) have no lock file to read, but have this.
 */

const NAME = 'composer-installed';

function wants(p: string, base: string): boolean {
  return base === 'installed.json' && p.endsWith('/composer/installed.json');
}

function collect(ctx: CollectContext): Promise<CollectResult> {
  return collectEach(ctx, 'Composer installed.json files', (c, file, out) => collectComposerFile(c, file, out, NAME, "Composer's installed.json", parseComposerInstalled));
}

export const composerInstalledCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [],
  wants,
  collect,
};
