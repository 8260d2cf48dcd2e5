import { OutOfRangeError } from '../../common/byte-source.js';
import type { Component, Problem } from '../../common/model.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { ElfError, readElf } from '../elf.js';
import { elfFiles } from '../elf-files.js';
import { openResolvedInRoot, type FileSource } from '../file-source.js';
import { problem, problemFrom } from '../problems.js';
import { AuditableDataError, DEP_V0_SECTION, MAX_SECTION_BYTES, parseDepV0, type AuditablePackage } from './cargo-auditable.parse.js';
import { cargoComponent } from './cargo-lock.js';
import { wantsGoProbe } from './go-binary.js';

/**
 * Rust executables built with `cargo auditable`: the crates compiled in, from the
 * `.dep-v0` section it adds. The walk hands over the same files as to the Go probe
 * (bin directories and anything not named like data), and the look at their ELF
 * headers is the Go probe's (`elfFiles`): a file is read again only when its section
 * table names the section or could not be read. An ELF
 * without the section is not a problem; one whose section table or section cannot be
 * read, or whose data is not what cargo auditable writes, is.
 *
 * Components are built as for `Cargo.lock` (ecosystem `cargo`, `metadata.source`), so
 * only crates.io packages are looked up; the crate the executable was built from and
 * its path dependencies are `path` packages, reported but never matched.
 *
 * Build dependencies (`kind: build`: build scripts, proc-macros and what they use, which
 * cargo auditable records too) are left out: they ran on the build machine and none of
 * their code is in the executable. How many were left out is logged.
 */

const NAME = 'cargo-auditable';
/** Executables are read piecewise; this only refuses absurd files. */
const MAX_BINARY_BYTES = 4 * 1024 * 1024 * 1024;
const MAX_PROBLEMS_PER_FILE = 20;

function components(paths: string[], packages: AuditablePackage[], format: number): Component[] {
  return packages
    .filter((p) => p.kind === 'runtime')
    .map((p) => {
      const extra: NonNullable<Component['metadata']> = { auditFormat: format };
      if (p.root) extra.root = true;
      if (p.source === 'registry' && p.recordedSource !== 'registry') extra.recordedSource = p.recordedSource;
      return cargoComponent(NAME, paths, p, extra);
    });
}

/** The `.dep-v0` section's bytes, undefined when the executable has none. Throws ElfError or AuditableDataError. */
async function depSection(src: FileSource): Promise<Buffer | undefined> {
  const elf = await readElf(src);
  if (elf.sectionError) throw new ElfError(`section headers cannot be read, so ${DEP_V0_SECTION} cannot be looked for: ${elf.sectionError}`);
  const sec = elf.sections.find((s) => s.name === DEP_V0_SECTION);
  if (!sec) return undefined;
  if (sec.type === 8 /* SHT_NOBITS */) throw new ElfError(`${DEP_V0_SECTION} section has no data in the file`);
  if (sec.size > MAX_SECTION_BYTES) throw new AuditableDataError(`${DEP_V0_SECTION} section of ${sec.size} bytes is larger than ${MAX_SECTION_BYTES}`, 'too-large');
  try {
    return await src.read(sec.offset, sec.size);
  } catch (err) {
    if (err instanceof OutOfRangeError) throw new ElfError(`${DEP_V0_SECTION} section (offset ${sec.offset}, ${sec.size} bytes) lies outside the ${src.size}-byte file`);
    throw err;
  }
}

function recordProblems(file: string, errors: string[], out: Problem[]): void {
  for (const m of errors.slice(0, MAX_PROBLEMS_PER_FILE)) out.push(problem(NAME, file, 'malformed-record', `${DEP_V0_SECTION}: ${m}`));
  if (errors.length > MAX_PROBLEMS_PER_FILE) out.push(problem(NAME, file, 'malformed-record', `${DEP_V0_SECTION}: ${errors.length - MAX_PROBLEMS_PER_FILE} more bad entries not listed`));
}

export const cargoAuditableCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [],
  wants: wantsGoProbe,
  async collect(ctx: CollectContext): Promise<CollectResult> {
    const { targets, unresolved } = await elfFiles(ctx);
    const problems = unresolved.map((u) => problemFrom(NAME, u.path, u.error));
    const found: Component[] = [];
    for (const { target, paths, headers } of targets) {
      if (ctx.signal?.aborted) break;
      // A section table already read without the section: the file is not opened again.
      if (headers && !headers.sectionError && !headers.sections.includes(DEP_V0_SECTION)) continue;
      const primary = paths[0]!;
      let src: FileSource | undefined;
      try {
        src = await openResolvedInRoot(ctx.root, target, MAX_BINARY_BYTES);
      } catch (err) {
        problems.push(problemFrom(NAME, primary, err));
        continue;
      }
      if (!src) continue;
      try {
        const section = await depSection(src);
        if (!section) continue;
        const data = parseDepV0(section);
        recordProblems(primary, data.errors, problems);
        const comps = components(paths, data.packages, data.format);
        found.push(...comps);
        ctx.log.debug({ path: primary, packages: comps.length, detail: `${data.packages.length - comps.length} build dependencies left out` }, 'cargo auditable data read');
      } catch (err) {
        if (err instanceof AuditableDataError) problems.push(problem(NAME, primary, err.code, err.message));
        else if (err instanceof ElfError) problems.push(problem(NAME, primary, 'corrupt', `unreadable ELF: ${err.message}`));
        else problems.push(problemFrom(NAME, primary, err));
      } finally {
        await src.close();
      }
    }
    return { components: found, problems };
  },
};
