import type { Component } from '../../common/model.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { elfFiles } from '../elf-files.js';
import { openResolvedInRoot } from '../file-source.js';
import { problem, problemFrom } from '../problems.js';
import { COLLECTOR_NAME, goComponents, hasGoMark, NO_GO_MARK, notGoByHeaders, parseModInfo, probeGoBinary } from './go-binary.parse.js';

/**
 * Go executables: the toolchain (`stdlib`), the main module and every module
 * compiled in, from the build information the Go linker embeds. Any executable-
 * looking file is probed (wherever the walk finds it: `/opt/tf-plugins/.../
 * terraform-provider-aws_v5.100.0_x5` too); only the first four bytes of files that
 * are not ELF are read, synchronously (`elfFiles`, whose look at the headers the
 * cargo auditable collector shares), an ELF file is opened again only when its
 * headers may be Go's, and files that are not Go are skipped without a problem. The
 * file mode is not looked at: unpacked images do not keep it.
 */

/** Executables are read piecewise; this only refuses absurd files. */
const MAX_BINARY_BYTES = 4 * 1024 * 1024 * 1024;

const BIN_DIR = /\/(s?bin|libexec)\//;

/** Trees full of extensionless files that are never executables, to keep the probe cheap. */
const NOT_EXECUTABLES = ['/usr/share/', '/usr/include/', '/usr/src/', '/etc/', '/var/lib/dpkg/', '/var/lib/apt/', '/var/log/', '/usr/lib/locale/', '/boot/'];
/** A short suffix after the last dot, a letter then letters or digits, names a file type (`.yaml`, `.py`, `.gz`)... */
const MAX_TYPE_EXTENSION = 8;
/** ...except these, which executables are given. */
const EXECUTABLE_EXTENSIONS = new Set(['bin', 'exe', 'elf', 'out', 'linux', 'amd64', 'arm64', 'x64', 'x86']);
/** Shared libraries (`libc.so.6`): never a Go program's build information. */
const SHARED_LIBRARY = /\.so(?:\.[0-9.]+)?$/;

const isLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Whether the name ends in a file-type extension after its last dot (at `dot`), read without a regular expression: this runs for every walked file. */
function typeExtension(basename: string, dot: number): string | undefined {
  const len = basename.length - dot - 1;
  if (len < 1 || len > MAX_TYPE_EXTENSION || !isLetter(basename.charCodeAt(dot + 1))) return undefined;
  for (let i = dot + 2; i < basename.length; i++) {
    const c = basename.charCodeAt(i);
    if (!isLetter(c) && !isDigit(c)) return undefined;
  }
  return basename.slice(dot + 1);
}

/** Whether the walk should hand this file to the probe: bin directories, and anything not named like data. */
export function wantsGoProbe(path: string, basename: string): boolean {
  // Called for every file of a whole-root walk: the plain substring tests are the cheap way out.
  if ((path.includes('bin/') || path.includes('/libexec/')) && BIN_DIR.test(path)) return true;
  const dot = basename.lastIndexOf('.');
  if (dot === 0) return false; // dotfiles
  if (dot > 0) {
    if (basename.includes('.so') && SHARED_LIBRARY.test(basename)) return false;
    const ext = typeExtension(basename, dot);
    if (ext !== undefined && !EXECUTABLE_EXTENSIONS.has(ext.toLowerCase())) return false;
  }
  for (const p of NOT_EXECUTABLES) if (path.startsWith(p)) return false;
  return true;
}

export const goBinaryCollector: Collector = {
  name: COLLECTOR_NAME,
  version: 2,
  databases: [],
  wants: wantsGoProbe,
  async collect(ctx: CollectContext): Promise<CollectResult> {
    const log = ctx.log.child({ collector: COLLECTOR_NAME });
    const { targets, unresolved } = await elfFiles(ctx);
    const problems = unresolved.map((u) => problemFrom(COLLECTOR_NAME, u.path, u.error));
    const found: Array<{ target: string; components: Component[] }> = [];
    const each = async ([target, paths]: [string, string[]]): Promise<void> => {
      const primary = paths[0]!;
      let src;
      try {
        src = await openResolvedInRoot(ctx.root, target, MAX_BINARY_BYTES);
      } catch (err) {
        problems.push(problemFrom(COLLECTOR_NAME, primary, err));
        return;
      }
      if (!src) return;
      try {
        const probe = await probeGoBinary(src);
        if (probe.kind === 'not-go') {
          log.trace({ path: primary, reason: probe.reason }, 'not a Go executable');
          return;
        }
        if (probe.kind === 'broken') {
          problems.push(problem(COLLECTOR_NAME, primary, probe.code, probe.message));
          return;
        }
        const info = parseModInfo(probe.modinfo);
        if (info.errors.length) {
          const shown = info.errors.slice(0, 3).join('; ');
          problems.push(problem(COLLECTOR_NAME, primary, 'malformed-record', `Go module information: ${shown}${info.errors.length > 3 ? ` (and ${info.errors.length - 3} more)` : ''}`));
        }
        found.push({ target, components: goComponents(probe.goVersion, info, paths) });
      } catch (err) {
        problems.push(problemFrom(COLLECTOR_NAME, primary, err));
      } finally {
        await src.close();
      }
    };
    for (const { target, paths, headers } of targets) {
      if (ctx.signal?.aborted) break;
      // Headers already read that name nothing of Go's: the file is not opened again.
      if (headers && notGoByHeaders(headers.sections, headers.sectionError, hasGoMark(headers.sections, headers.notes))) {
        log.trace({ path: paths[0], reason: NO_GO_MARK }, 'not a Go executable');
        continue;
      }
      await each([target, paths]);
    }
    const components = found.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0)).flatMap((f) => f.components);
    problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { components, problems };
  },
};
