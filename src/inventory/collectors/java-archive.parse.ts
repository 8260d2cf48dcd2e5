import type { Component } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';

/**
 * Pure parts of the Java archive collector: `pom.properties` (Java properties
 * syntax), `META-INF/MANIFEST.MF`, archive file names, and how they combine into
 * Maven coordinates.
 */

export const COLLECTOR_NAME = 'java-archive';

/** Zip-based Java archives: libraries, web and enterprise apps, Jenkins plugins, JBoss/Karaf/NiFi/Liferay packages. */
export const ARCHIVE_EXTENSION = /\.(jar|war|ear|par|sar|nar|jpi|hpi|kar|lpkg)$/i;
/** The same extensions as suffixes, for the cheap test on stored names (`ZipArchive.entriesEndingWith`). */
export const ARCHIVE_SUFFIXES = ['.jar', '.war', '.ear', '.par', '.sar', '.nar', '.jpi', '.hpi', '.kar', '.lpkg'];

export const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;

const WS = new Set([' ', '\t', '\f']);

/**
 * `java.util.Properties.load` semantics: `=`, `:` or whitespace between key and
 * value, `#`/`!` comments, backslash continuation lines, escapes and `\uXXXX`.
 * Input is decoded as ISO-8859-1 as Properties.load(InputStream) does.
 */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  let i = 0;
  while (i < lines.length) {
    let line = trimLeadingWs(lines[i++]!);
    if (line === '' || line[0] === '#' || line[0] === '!') continue;
    while (trailingBackslashes(line) % 2 === 1) {
      line = line.slice(0, -1);
      if (i >= lines.length) break;
      line += trimLeadingWs(lines[i++]!);
    }
    let k = 0;
    let hasSep = false;
    let escaped = false;
    for (; k < line.length; k++) {
      const c = line[k]!;
      if (!escaped && (c === '=' || c === ':')) {
        hasSep = true;
        break;
      }
      if (!escaped && WS.has(c)) break;
      escaped = c === '\\' ? !escaped : false;
    }
    let v = k < line.length ? k + 1 : k;
    for (; v < line.length; v++) {
      const c = line[v]!;
      if (WS.has(c)) continue;
      if (!hasSep && (c === '=' || c === ':')) {
        hasSep = true;
        continue;
      }
      break;
    }
    out.set(unescapeProperty(line.slice(0, k)), unescapeProperty(line.slice(v)));
  }
  return out;
}

function trimLeadingWs(s: string): string {
  let i = 0;
  while (i < s.length && WS.has(s[i]!)) i++;
  return s.slice(i);
}

function trailingBackslashes(s: string): number {
  let n = 0;
  while (n < s.length && s[s.length - 1 - n] === '\\') n++;
  return n;
}

const ESCAPES: Record<string, string> = { t: '\t', r: '\r', n: '\n', f: '\f' };

function unescapeProperty(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i];
    if (n === undefined) break;
    if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      // A malformed \u makes Java refuse the file; keeping the text is more useful for inventory.
      out += ESCAPES[n] ?? n;
    }
  }
  return out;
}

export interface Manifest {
  /** Main attributes, names as written. */
  main: Record<string, string>;
  /** Per-entry sections (`Name: ...`), in order. */
  sections: Record<string, string>[];
}

/**
 * JAR manifest: `Name: value` headers, lines of at most 72 bytes continued by a
 * leading space, sections separated by blank lines. Continuations are joined as
 * bytes before UTF-8 decoding, since writers split lines inside multi-byte characters.
 */
export function parseManifest(data: Buffer): Manifest {
  const text = data.toString('latin1').replace(/^\xef\xbb\xbf/, '');
  const sections: Record<string, string>[] = [];
  let current: Array<[string, string]> = [];
  const flush = (): void => {
    if (!current.length) return;
    const rec: Record<string, string> = {};
    for (const [k, v] of current) rec[decodeUtf8(k)] = decodeUtf8(v);
    sections.push(rec);
    current = [];
  };
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      flush();
      continue;
    }
    if (line[0] === ' ') {
      const last = current[current.length - 1];
      if (last) last[1] += line.slice(1);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    current.push([line.slice(0, colon).trim(), line.slice(colon + 1).replace(/^ +/, '')]);
  }
  flush();
  const [main = {}, ...rest] = sections;
  return { main, sections: rest };
}

function decodeUtf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** Case-insensitive attribute lookup, as manifest attribute names are. */
export function attr(attrs: Record<string, string> | undefined, name: string): string | undefined {
  if (!attrs) return undefined;
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(attrs)) if (k.toLowerCase() === want) return v.trim() || undefined;
  return undefined;
}

export interface ArchiveName {
  /** File name without the archive extension. */
  stem: string;
  /** Artifact part (`commons-lang3` of `commons-lang3-3.12.0.jar`), the stem when no version is found. */
  name: string;
  version?: string;
  classifier?: string;
}

// Maven qualifiers that may follow a dash and still be part of the version (`1.0-alpha-3`).
const QUALIFIER = /^(alpha|beta|rc|cr|m|milestone|snapshot|sp|ga|final|release|patch|pre|preview|incubating|jre|android|[ab])$/i;
const CLASSIFIER = /-(sources|javadoc|tests|test-sources|jar-with-dependencies|shaded|all|uber)$/i;

/**
 * Split `name-version[-classifier].ext`. The version starts at the first `-digit`
 * whose remainder does not restart a name (`log4j-1.2-api-2.17.1` is `log4j-1.2-api` 2.17.1).
 */
export function parseArchiveName(basename: string): ArchiveName {
  const stem = basename.replace(ARCHIVE_EXTENSION, '');
  for (let i = 1; i < stem.length - 1; i++) {
    if (stem[i] !== '-' || !/\d/.test(stem[i + 1]!)) continue;
    const rest = stem.slice(i + 1);
    const restarts = [...rest.matchAll(/-([A-Za-z][A-Za-z0-9_]*)-\d/g)].some((m) => !QUALIFIER.test(m[1]!));
    if (restarts) continue;
    const out: ArchiveName = { stem, name: stem.slice(0, i), version: rest };
    const cls = CLASSIFIER.exec(rest);
    if (cls && cls.index > 0) {
      out.version = rest.slice(0, cls.index);
      out.classifier = cls[1]!;
    }
    return out;
  }
  return { stem, name: stem };
}

export interface Coordinates {
  groupId?: string;
  artifactId: string;
  version: string;
}

/** Why a coordinate was refused; undefined when acceptable. */
export function badCoordinate(value: string | undefined, what: string, required: boolean): string | undefined {
  if (value === undefined || value === '') return required ? `no ${what}` : undefined;
  if (value.length > 256) return `${what} is ${value.length} characters long`;
  if (/[\x00-\x1f\x7f/]/.test(value)) return `${what} ${JSON.stringify(value)} contains a control character or a slash`;
  return undefined;
}

/** Coordinates of one `pom.properties`; the directory names stand in for missing ids. */
export function coordinatesFromPom(props: Map<string, string>, entryName: string): Coordinates | string {
  const [, , dirGroup, dirArtifact] = entryName.split('/');
  const groupId = props.get('groupId')?.trim() || dirGroup;
  const artifactId = props.get('artifactId')?.trim() || dirArtifact || '';
  const version = props.get('version')?.trim() ?? '';
  const bad = badCoordinate(groupId, 'groupId', false) ?? badCoordinate(artifactId, 'artifactId', true) ?? badCoordinate(version, 'version', true);
  if (bad) return bad;
  return groupId ? { groupId, artifactId, version } : { artifactId, version };
}

/**
 * Which of several artifacts of one archive is the archive itself: the one whose
 * id (alone or prefixed by its group) is the file name, disambiguated by version.
 * A prefix or suffix match is not enough: shaded jars often embed siblings.
 */
export function pickMain(candidates: readonly Coordinates[], file: ArchiveName): number | undefined {
  const names = new Set([file.name, file.stem]);
  const matches = candidates
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => [c.artifactId, ...['.', '-', '_'].map((s) => `${c.groupId}${s}${c.artifactId}`)].some((n) => names.has(n)));
  if (matches.length === 1) return matches[0]!.i;
  const byVersion = matches.filter(({ c }) => file.version !== undefined && c.version === file.version);
  return byVersion.length === 1 ? byVersion[0]!.i : undefined;
}

export interface Identification extends Coordinates {
  evidence: 'manifest' | 'filename';
  /** Manifest attribute (or `filename`) the version came from. */
  versionSource?: string;
  /** The manifest's own version when the file name's differs from it. */
  manifestVersion?: string;
}

const GROUP_LIKE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;
const ID_LIKE = /^[A-Za-z0-9_.-]+$/;
const VERSION_LIKE = /^[A-Za-z0-9][A-Za-z0-9._+~-]*$/;

/** A manifest version, unquoted, or undefined when it is not a version at all (unexpanded build placeholders). */
function manifestVersion(main: Record<string, string> | undefined, key: string): string | undefined {
  const v = attr(main, key)?.replace(/^"(.*)"$/, '$1').trim();
  return v && v.length <= 128 && VERSION_LIKE.test(v) ? v : undefined;
}

/**
 * Best-effort coordinates of an archive without `pom.properties`. A version in the
 * file name wins over the manifest: build tools name files from the coordinates,
 * while manifest versions are kept by hand and go stale (commons-beanutils 1.7.0
 * says 1.6, dom4j 1.1 says 1.2).
 */
export function identifyFromManifest(main: Record<string, string> | undefined, file: ArchiveName): Identification {
  const jenkinsGroup = attr(main, 'Group-Id');
  const vendorId = attr(main, 'Implementation-Vendor-Id');
  const symbolic = attr(main, 'Bundle-SymbolicName')?.split(';')[0]?.trim();
  const title = attr(main, 'Implementation-Title');
  let groupId = jenkinsGroup ?? (vendorId && GROUP_LIKE.test(vendorId) ? vendorId : undefined);
  if (badCoordinate(groupId, 'groupId', false)) groupId = undefined;
  let artifactId = jenkinsGroup ? attr(main, 'Short-Name') : undefined;
  if (!artifactId && symbolic && groupId && symbolic.startsWith(groupId + '.')) artifactId = symbolic.slice(groupId.length + 1);
  // Maven names its files artifactId-version, which beats a free-form title.
  if (!artifactId && file.version !== undefined) artifactId = file.name;
  // An OSGi symbolic name is usually group + "." + artifact; without a group it is the best id there is.
  if (!artifactId && symbolic && ID_LIKE.test(symbolic)) artifactId = symbolic;
  if (!artifactId && title && ID_LIKE.test(title)) artifactId = title;
  const artifactFromFile = artifactId === undefined || artifactId === file.name;
  artifactId ??= file.name;
  let fromManifest: { key: string; version: string } | undefined;
  for (const key of [...(jenkinsGroup ? ['Plugin-Version'] : []), 'Implementation-Version', 'Bundle-Version', 'Specification-Version']) {
    const v = manifestVersion(main, key);
    if (v) {
      fromManifest = { key, version: v };
      break;
    }
  }
  const id: Identification = { artifactId, version: '', evidence: groupId !== undefined || !artifactFromFile || fromManifest ? 'manifest' : 'filename' };
  if (file.version) {
    id.version = file.version;
    id.versionSource = 'filename';
    if (fromManifest && fromManifest.version !== file.version) id.manifestVersion = fromManifest.version;
  } else if (fromManifest) {
    id.version = fromManifest.version;
    id.versionSource = fromManifest.key;
  }
  if (groupId) id.groupId = groupId;
  return id;
}

export function mavenComponent(c: Coordinates, locations: string[], metadata: NonNullable<Component['metadata']>): Component {
  const comp: Component = {
    ecosystem: 'maven',
    name: c.artifactId,
    version: c.version,
    purl: formatPurl({ type: 'maven', namespace: c.groupId, name: c.artifactId, version: c.version }),
    locations: [...locations].sort(),
    foundBy: COLLECTOR_NAME,
    metadata,
  };
  if (c.groupId) comp.namespace = c.groupId;
  return comp;
}
