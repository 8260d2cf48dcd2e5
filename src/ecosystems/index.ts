import type { Component, OsInfo } from '../common/model.js';
import { SCHEMES } from '../versions/index.js';
import type { VersionFormat } from '../versions/scheme.js';
import { alpine } from './alpine.js';
import { amazon } from './amazon.js';
import { arch } from './arch.js';
import { composer } from './composer.js';
import { cargo } from './cargo.js';
import { debian } from './debian.js';
import { fedora } from './fedora.js';
import { gem } from './gem.js';
import { golang } from './golang.js';
import { maven } from './maven.js';
import { npm } from './npm.js';
import { nuget } from './nuget.js';
import { azureLinux, mageia, openEuler, photon } from './other-rpm.js';
import { pypi } from './pypi.js';
import { almalinux, centos, oracle, rhel, rocky } from './rhel.js';
import { suse } from './suse.js';
import type { Distribution, LanguageEcosystem, LookupTarget } from './types.js';
import { ubuntu } from './ubuntu.js';
import { wolfi } from './wolfi.js';

export type { Distribution, LanguageEcosystem, LookupTarget, OsPackageManager } from './types.js';

/**
 * The registry: every distribution and language ecosystem Vigil knows, each declared in
 * its own file. Adding one means adding its file here (and its collector, scheme and
 * fixtures); nothing else consults a table of ecosystems. Checked when loaded: an id,
 * os-release ID or advisory ecosystem claimed twice, or a scheme Vigil does not have,
 * stops Vigil at startup instead of matching by a silent default.
 */
export const DISTRIBUTIONS: readonly Distribution[] = [debian, ubuntu, alpine, wolfi, almalinux, rocky, rhel, centos, oracle, fedora, amazon, suse, azureLinux, photon, openEuler, mageia, arch];
export const LANGUAGES: readonly LanguageEcosystem[] = [npm, pypi, maven, golang, cargo, gem, nuget, composer];

interface Registry {
  byOsId: Map<string, Distribution>;
  /** The name key of each component ecosystem (one per ecosystem, even when several distributions share it). */
  nameKeyOf: Map<string, (name: string) => string>;
  byOsv: Map<string, { scheme: VersionFormat; distribution?: Distribution; language?: LanguageEcosystem }>;
  byComponent: Map<string, LanguageEcosystem>;
  byNamespace: Map<string, LanguageEcosystem>;
}

function claim<K, V>(map: Map<K, V>, key: K, value: V, what: string): void {
  if (map.has(key)) throw new Error(`ecosystem registry: ${what} ${String(key)} is declared twice`);
  map.set(key, value);
}

/** The lookup tables of a set of declarations, refusing any ambiguity. */
export function buildRegistry(distributions: readonly Distribution[], languages: readonly LanguageEcosystem[]): Registry {
  const r: Registry = { byOsId: new Map(), nameKeyOf: new Map(), byOsv: new Map(), byComponent: new Map(), byNamespace: new Map() };
  const keyOf = (eco: string, key: ((name: string) => string) | undefined, who: string) => {
    const k = key ?? exactName;
    const had = r.nameKeyOf.get(eco);
    if (had && had !== k) throw new Error(`ecosystem registry: ${who} keys ${eco} package names unlike another declaration of ${eco}; one inventory index serves both`);
    r.nameKeyOf.set(eco, k);
  };
  const checkScheme = (scheme: VersionFormat, who: string) => {
    if (!Object.hasOwn(SCHEMES, scheme)) throw new Error(`ecosystem registry: ${who} names version scheme ${scheme}, which Vigil does not have`);
  };
  for (const d of distributions) {
    checkScheme(d.scheme, d.id);
    for (const id of d.osIds) claim(r.byOsId, id, d, 'os-release ID');
    keyOf(d.packages, d.nameKey, d.id);
    for (const e of d.advisoryEcosystems) claim(r.byOsv, e, { scheme: d.scheme, distribution: d }, 'advisory ecosystem');
  }
  for (const l of languages) {
    checkScheme(l.scheme, l.id);
    claim(r.byComponent, l.id, l, 'component ecosystem');
    keyOf(l.id, l.nameKey, l.id);
    claim(r.byNamespace, l.namespace, l, 'advisory namespace');
    claim(r.byOsv, l.namespace, { scheme: l.scheme, language: l }, 'advisory ecosystem');
  }
  return r;
}

const exactName = (name: string): string => name;

const { byOsId, nameKeyOf, byOsv, byComponent, byNamespace } = buildRegistry(DISTRIBUTIONS, LANGUAGES);

/**
 * How a package name is keyed in the advisory index for an advisory namespace
 * (`Debian:12`, `PyPI`): feeds and inventories spell some names differently
 * (`Django_REST`, `django-rest`), so both sides go through the declaration's key.
 */
export function advisoryNameKey(namespace: string): (name: string) => string {
  const colon = namespace.indexOf(':');
  const d = byOsv.get(colon < 0 ? namespace : namespace.slice(0, colon));
  return d?.distribution?.nameKey ?? d?.language?.nameKey ?? exactName;
}

/** The same key for a component's ecosystem, so the inverted index finds it. */
export function componentNameKey(ecosystem: string, name: string): string {
  return (nameKeyOf.get(ecosystem) ?? exactName)(name);
}

/** The component ecosystems of OS packages (`deb`, `rpm`, `apk`), from the distributions declared. */
export const OS_PACKAGE_ECOSYSTEMS: ReadonlySet<string> = new Set(DISTRIBUTIONS.map((d) => d.packages));

/** The osv.dev exports `vigil db update` fetches: one per declaration that has one. */
export function osvExports(): Array<{ folder: string; feed: string }> {
  return [...DISTRIBUTIONS, ...LANGUAGES].flatMap((d) => (d.osvExport ? [d.osvExport] : []));
}

/** The distribution of a host's os-release, or undefined for one Vigil does not know. */
export function distributionOf(os: OsInfo | undefined): Distribution | undefined {
  return os ? byOsId.get(os.id) : undefined;
}

/** The advisory namespace of a root's OS packages; undefined when the distribution or its release is unknown. */
export function osNamespace(os: OsInfo | undefined): string | undefined {
  return os ? distributionOf(os)?.namespace(os) : undefined;
}

/** The language ecosystem of a component ecosystem (`npm`, `pypi`…), if it is one. */
export function languageOf(ecosystem: string): LanguageEcosystem | undefined {
  return byComponent.get(ecosystem);
}

/** An advisory ecosystem as OSV spells it (the part before `:`) → its version scheme and who declares it. */
export function advisoryEcosystem(base: string): { scheme: VersionFormat; distribution?: Distribution; language?: LanguageEcosystem } | undefined {
  return byOsv.get(base);
}

/** rpm EVR as advisories write it: the epoch only when present. */
export function rpmEvr(c: Component): string {
  const vr = c.release ? `${c.version}-${c.release}` : c.version;
  return c.epoch !== undefined ? `${c.epoch}:${vr}` : vr;
}

/**
 * Where to look a component up. A component without a version is looked up too: the
 * matcher says, on the component, that it could not be compared, rather than drop it.
 */
export function lookupTargets(c: Component, os: OsInfo | undefined): LookupTarget[] {
  const lang = byComponent.get(c.ecosystem);
  if (lang) return lang.lookup(c);
  const d = distributionOf(os);
  // OS packages are looked up only in the namespace of the root's own distribution.
  if (!d || d.packages !== c.ecosystem) return [];
  const ns = d.namespace(os!);
  if (!ns) return [];
  if (d.scheme === 'rpm') return [{ namespace: ns, package: c.name, version: rpmEvr(c), scheme: 'rpm', via: 'direct' }];
  const name = d.bySource ? (c.source?.name ?? c.name) : c.name;
  // Debian and Ubuntu fix the source version; Alpine's origin shares the binary's version.
  const version = d.bySource && d.scheme === 'dpkg' ? (c.source?.version ?? c.version) : c.version;
  return [{ namespace: ns, package: name, version, scheme: d.scheme, via: name === c.name ? 'direct' : 'source' }];
}

/**
 * The inverse of lookupTargets for the inverted index: which component ecosystem an
 * advisory namespace's entries can match, and the component names to look for.
 * Undefined for a namespace no component is ever looked up in.
 */
export function namespaceTargets(namespace: string, packageKey: string): { ecosystem: Component['ecosystem']; names: string[] } | undefined {
  const lang = byNamespace.get(namespace);
  if (lang) return lang.collected ? { ecosystem: lang.id as Component['ecosystem'], names: lang.names(packageKey) } : undefined;
  const base = namespace.includes(':') ? namespace.slice(0, namespace.indexOf(':')) : namespace;
  const d = byOsv.get(base)?.distribution;
  return d ? { ecosystem: d.packages, names: [packageKey] } : undefined;
}
