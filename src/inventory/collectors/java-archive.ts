import { bufferSource } from '../../common/byte-source.js';
import type { Component, Problem } from '../../common/model.js';
import { ZipArchive, ZipError, type ZipEntry } from '../../common/zip.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { groupByTarget, openResolvedInRoot } from '../file-source.js';
import { problem, problemFrom } from '../problems.js';
import {
  ARCHIVE_EXTENSION,
  ARCHIVE_SUFFIXES,
  badCoordinate,
  COLLECTOR_NAME,
  type Coordinates,
  coordinatesFromPom,
  identifyFromManifest,
  mavenComponent,
  parseArchiveName,
  parseManifest,
  parseProperties,
  pickMain,
  POM_PROPERTIES,
} from './java-archive.parse.js';

/**
 * Maven artifacts inside Java archives: one component per `pom.properties`, and
 * when none of them is the archive itself, one from the manifest or the file name
 * (marked low confidence) if they give a version. Archives nested
 * in archives (`WEB-INF/lib/`, `BOOT-INF/lib/`, an ear's modules) are opened in
 * memory and located as `outer.war:WEB-INF/lib/inner.jar`.
 */

const LIMITS = {
  /** Outer archives are read piecewise, so this only guards against absurd files. */
  archiveBytes: 4 * 1024 * 1024 * 1024,
  nestedDepth: 4,
  nestedBytes: 128 * 1024 * 1024,
  /** Inflated bytes of nested archives held or read per outer file. */
  nestedBudgetBytes: 1024 * 1024 * 1024,
  nestedArchives: 5_000,
  pomBytes: 64 * 1024,
  /** Signed jars list a digest per class in the manifest. */
  manifestBytes: 8 * 1024 * 1024,
};

interface ScanState {
  problems: Problem[];
  nestedBytesLeft: number;
  nestedLeft: number;
  signal?: AbortSignal;
}

function failure(path: string, err: unknown, what: string): Problem {
  if (err instanceof ZipError) return problem(COLLECTOR_NAME, path, err.kind, `${what}: ${err.message}`);
  return problemFrom(COLLECTOR_NAME, path, err);
}

/** Entry names are untrusted text: keep them verbatim except for control characters, which would forge log lines. */
function printable(name: string): string {
  return name.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function baseName(entryName: string): string {
  const parts = entryName.split(/[/\\]/);
  return parts[parts.length - 1] ?? entryName;
}

async function readText(zip: ZipArchive, entry: ZipEntry, max: number, latin1: boolean): Promise<string> {
  const buf = await zip.read(entry, max);
  return buf.toString(latin1 ? 'latin1' : 'utf8');
}

async function fromPomProperties(zip: ZipArchive, fileName: string, at: string, state: ScanState): Promise<Component[]> {
  const found: Array<{ c: Coordinates; entry: string }> = [];
  const poms = zip.entriesEndingWith(['pom.properties']).filter((e) => !e.isDirectory && POM_PROPERTIES.test(e.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of poms) {
    const where = `${at} (${printable(entry.name)})`;
    let text: string;
    try {
      text = await readText(zip, entry, LIMITS.pomBytes, true);
    } catch (err) {
      state.problems.push(failure(at, err, printable(entry.name)));
      continue;
    }
    const c = coordinatesFromPom(parseProperties(text), entry.name);
    if (typeof c === 'string') {
      state.problems.push(problem(COLLECTOR_NAME, at, 'malformed-record', `${where}: ${c}`));
      continue;
    }
    found.push({ c, entry: entry.name });
  }
  const main = found.length === 1 ? 0 : pickMain(found.map((f) => f.c), parseArchiveName(fileName));
  return found.map(({ c, entry }, i) => mavenComponent(c, [at], { evidence: 'pom.properties', pomProperties: entry, main: i === main }));
}

async function fromManifest(zip: ZipArchive, fileName: string, at: string, state: ScanState): Promise<Component[]> {
  let main: Record<string, string> | undefined;
  // `find(name, true)` without building every entry: a name that lower-cases to this ASCII
  // one without a `k` (the Kelvin sign's lower case) is ASCII, so it ends so in any case.
  const entry = zip.entriesEndingWith(['manifest.mf'], true).find((e) => e.name.toLowerCase() === 'meta-inf/manifest.mf');
  if (entry && !entry.isDirectory) {
    try {
      main = parseManifest(await zip.read(entry, LIMITS.manifestBytes)).main;
    } catch (err) {
      // The file name may still identify the archive.
      state.problems.push(failure(at, err, 'META-INF/MANIFEST.MF'));
    }
  }
  const id = identifyFromManifest(main, parseArchiveName(fileName));
  // Without a version there is nothing to match and the purl would be a guess.
  if (!id.version) return [];
  const bad = badCoordinate(id.artifactId, 'artifactId', true) ?? badCoordinate(id.version, 'version', false);
  if (bad) {
    state.problems.push(problem(COLLECTOR_NAME, at, 'malformed-record', `${id.evidence}: ${bad}`));
    return [];
  }
  const metadata: NonNullable<Component['metadata']> = { evidence: id.evidence, lowConfidence: true, main: true };
  if (id.versionSource) metadata.versionSource = id.versionSource;
  if (id.manifestVersion) metadata.manifestVersion = id.manifestVersion;
  return [mavenComponent(id, [at], metadata)];
}

async function scanArchive(zip: ZipArchive, fileName: string, at: string, depth: number, state: ScanState): Promise<Component[]> {
  const out = await fromPomProperties(zip, fileName, at, state);
  // Shaded jars carry their dependencies' pom.properties but not always their own: identify the archive itself
  // too, unless one of its artifacts already bears its name (then only which group is ambiguous).
  if (!out.some((c) => c.metadata?.main)) {
    for (const own of await fromManifest(zip, fileName, at, state)) if (!out.some((c) => c.name === own.name)) out.push(own);
  }
  const nested = zip.entriesEndingWith(ARCHIVE_SUFFIXES, true).filter((e) => !e.isDirectory && ARCHIVE_EXTENSION.test(e.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of nested) {
    if (state.signal?.aborted) break;
    const inner = `${at}:${printable(entry.name)}`;
    if (depth + 1 > LIMITS.nestedDepth) {
      state.problems.push(problem(COLLECTOR_NAME, inner, 'skipped', `archive nested deeper than ${LIMITS.nestedDepth} levels; not opened`));
      continue;
    }
    if (state.nestedLeft <= 0 || entry.size > state.nestedBytesLeft) {
      state.problems.push(problem(COLLECTOR_NAME, inner, 'too-large', `nested archives of this file exceed ${LIMITS.nestedArchives} archives or ${LIMITS.nestedBudgetBytes} bytes; not opened`));
      continue;
    }
    state.nestedLeft--;
    state.nestedBytesLeft -= entry.size;
    try {
      const buf = await zip.read(entry, LIMITS.nestedBytes);
      const innerZip = await ZipArchive.open(bufferSource(buf));
      out.push(...(await scanArchive(innerZip, baseName(entry.name), inner, depth + 1, state)));
    } catch (err) {
      state.problems.push(failure(inner, err, 'nested archive not readable'));
    }
  }
  return out;
}

/** Same artifact found twice in one archive (duplicate entries): one component. */
function mergeByPurlAndLocation(components: Component[]): Component[] {
  const seen = new Map<string, Component>();
  for (const c of components) {
    const key = `${c.purl}\n${c.locations.join('\n')}`;
    if (!seen.has(key)) seen.set(key, c);
  }
  return [...seen.values()];
}

/** Re-root the components found at `primary` onto every path that reaches the same file. */
function withAliases(components: Component[], primary: string, paths: string[]): Component[] {
  if (paths.length === 1) return components;
  return components.map((c) => ({
    ...c,
    locations: paths.flatMap((p) => c.locations.map((l) => p + l.slice(primary.length))).sort(),
  }));
}

export const javaArchiveCollector: Collector = {
  name: COLLECTOR_NAME,
  version: 1,
  databases: [],
  wants(_path: string, basename: string): boolean {
    return ARCHIVE_EXTENSION.test(basename);
  },
  async collect(ctx: CollectContext): Promise<CollectResult> {
    const log = ctx.log.child({ collector: COLLECTOR_NAME });
    const { groups, problems } = await groupByTarget(COLLECTOR_NAME, ctx.root, ctx.files);
    const found: Array<{ target: string; components: Component[]; problems: Problem[] }> = [];
    const each = async ([target, paths]: [string, string[]]): Promise<void> => {
      const primary = paths[0]!;
      const mine: Problem[] = [];
      const state: ScanState = { problems: mine, nestedBytesLeft: LIMITS.nestedBudgetBytes, nestedLeft: LIMITS.nestedArchives, signal: ctx.signal };
      const out = { target, components: [] as Component[], problems: mine };
      found.push(out);
      let src;
      try {
        src = await openResolvedInRoot(ctx.root, target, LIMITS.archiveBytes);
      } catch (err) {
        mine.push(problemFrom(COLLECTOR_NAME, primary, err));
        return;
      }
      if (!src) return;
      try {
        log.trace({ path: primary }, 'reading java archive');
        const zip = await ZipArchive.open(src);
        // The real file's name carries the version when the walked path is a versionless symlink.
        const components = await scanArchive(zip, baseName(target), primary, 0, state);
        out.components = withAliases(mergeByPurlAndLocation(components), primary, paths);
      } catch (err) {
        mine.push(failure(primary, err, 'not a readable Java archive'));
      } finally {
        await src.close();
      }
    };
    for (const group of groups) {
      if (ctx.signal?.aborted) break;
      await each(group);
    }
    found.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
    const components = found.flatMap((f) => f.components);
    problems.push(...found.flatMap((f) => f.problems));
    return { components, problems };
  },
};
