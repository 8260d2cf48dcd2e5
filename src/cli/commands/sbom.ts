import { VigilError } from '../../common/errors.js';
import { parse, oneOf } from '../args.js';
import { scan } from '../../inventory/scan.js';
import { renderSbom, type SbomFormat } from '../../inventory/sbom/index.js';
import { progressLine } from '../output.js';
import { writeFileAtomic } from '../../common/atomic-write.js';
import { namedInputError, namedInputProblem } from '../named-input.js';

export const SBOM_USAGE = `usage: vigil sbom [PATH] [--root DIR | --image TARBALL] [--format cyclonedx|spdx|json] [-o FILE] [--app-root DIR]... [--skip-dir DIR]... [--include-caches] [--no-live] [--quiet]

Inventory a live host (--root /, the default), a mounted rootfs or unpacked image
(--root DIR), a saved container image (--image TARBALL: docker-archive or OCI
layout), or one file or directory (PATH: a lockfile, a jar, a zip package, a project).`;

const FORMATS = ['cyclonedx', 'spdx', 'json'] as const satisfies readonly SbomFormat[];

export async function sbomCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      root: { type: 'string' },
      image: { type: 'string' },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      'app-root': { type: 'string', multiple: true },
      'skip-dir': { type: 'string', multiple: true },
      'include-caches': { type: 'boolean' },
      'no-live': { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    },
    1,
  );
  const format = oneOf('format', values.format, FORMATS, 'cyclonedx');
  if ([positionals[0], values.root, values.image].filter((v) => v !== undefined).length > 1) {
    throw new VigilError('USAGE', 'give only one of PATH, --root and --image');
  }
  const progress = progressLine(!values.quiet && process.stderr.isTTY === true);
  const inv = await scan({
    ...(values.image !== undefined ? { image: values.image } : positionals[0] !== undefined ? { path: positionals[0] } : { root: values.root ?? '/' }),
    appRoots: values['app-root'] ?? [],
    skipDirs: values['skip-dir'] ?? [],
    includeCaches: values['include-caches'] === true,
    noLive: values['no-live'] === true,
    onProgress: progress.update,
  });
  progress.done();
  const doc = renderSbom(inv, format);
  if (values.output) await writeFileAtomic(values.output, doc);
  else process.stdout.write(doc);
  if (!values.quiet) {
    const where = values.output ? ` to ${values.output}` : '';
    const problems = inv.problems.length ? `; ${inv.problems.length} problem(s) recorded in the SBOM` : '';
    process.stderr.write(`vigil: ${inv.components.length} components from ${inv.target.path} written${where} as ${format}${problems}\n`);
  }
  // The SBOM records the problem; the exit status says the named file was not read.
  const unread = namedInputProblem(inv, positionals[0]);
  if (unread) throw namedInputError(inv, unread);
  return 0;
}
