import type { Component } from '../../common/model.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { groupByTarget, openInRoot } from '../file-source.js';
import { problem, problemFrom } from '../problems.js';
import { COLLECTOR_NAME, goComponents, parseModInfo, probeGoBinary } from './go-binary.parse.js';

/**
 * Go executables: the toolchain (`stdlib`), the main module and every module
 * compiled in, from the build information the Go linker embeds. Any executable-
 * looking file is probed; only the first bytes of files that are not ELF are read,
 * and files that are not Go are skipped without a problem.
 */

/** Executables are read piecewise; this only refuses absurd files. */
const MAX_BINARY_BYTES = 4 * 1024 * 1024 * 1024;

const BIN_DIR = /\/(s?bin|libexec)\//;

/** Trees full of extensionless files that are never executables, to keep the probe cheap. */
const NOT_EXECUTABLES = ['/usr/share/', '/usr/include/', '/usr/src/', '/etc/', '/var/lib/dpkg/', '/var/lib/apt/', '/var/log/', '/usr/lib/locale/', '/boot/'];

export const goBinaryCollector: Collector = {
  name: COLLECTOR_NAME,
  version: 1,
  databases: [],
  wants(path: string, basename: string): boolean {
    if (BIN_DIR.test(path)) return true;
    if (basename.includes('.')) return false;
    return !NOT_EXECUTABLES.some((p) => path.startsWith(p));
  },
  async collect(ctx: CollectContext): Promise<CollectResult> {
    const log = ctx.log.child({ collector: COLLECTOR_NAME });
    const { groups, problems } = await groupByTarget(COLLECTOR_NAME, ctx.root, ctx.files);
    const components: Component[] = [];
    for (const [target, paths] of groups) {
      if (ctx.signal?.aborted) break;
      const primary = paths[0]!;
      let src;
      try {
        src = await openInRoot(ctx.root, target, MAX_BINARY_BYTES);
      } catch (err) {
        problems.push(problemFrom(COLLECTOR_NAME, primary, err));
        continue;
      }
      if (!src) continue;
      try {
        const probe = await probeGoBinary(src);
        if (probe.kind === 'not-go') {
          log.trace({ path: primary, reason: probe.reason }, 'not a Go executable');
          continue;
        }
        if (probe.kind === 'broken') {
          problems.push(problem(COLLECTOR_NAME, primary, probe.code, probe.message));
          continue;
        }
        const info = parseModInfo(probe.modinfo);
        if (info.errors.length) {
          const shown = info.errors.slice(0, 3).join('; ');
          problems.push(problem(COLLECTOR_NAME, primary, 'malformed-record', `Go module information: ${shown}${info.errors.length > 3 ? ` (and ${info.errors.length - 3} more)` : ''}`));
        }
        components.push(...goComponents(probe.goVersion, info, paths));
      } catch (err) {
        problems.push(problemFrom(COLLECTOR_NAME, primary, err));
      } finally {
        await src.close();
      }
    }
    return { components, problems };
  },
};
