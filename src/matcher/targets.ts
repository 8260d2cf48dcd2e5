import type { Component, OsInfo } from '../common/model.js';
import type { VersionFormat } from '../versions/scheme.js';

/** Where the matcher looks a component up: one namespace, one name, one version of one scheme. */
export interface LookupTarget {
  namespace: string;
  package: string;
  version: string;
  scheme: VersionFormat;
  via: 'direct' | 'source';
}

function major(v: string | undefined): string | undefined {
  return v?.split('.')[0];
}

/**
 * The advisory namespace of the OS packages on this root: the host's release
 * selects it, so Debian 12 advisories never match an Ubuntu host. Undefined when
 * the release is unknown: guessing a namespace would invent findings.
 */
export function osNamespace(os: OsInfo | undefined): string | undefined {
  if (!os) return undefined;
  switch (os.id) {
    case 'debian':
      return os.versionId ? `Debian:${major(os.versionId)}` : undefined;
    case 'ubuntu':
      return os.versionId ? `Ubuntu:${os.versionId}` : undefined;
    case 'alpine': {
      const mm = os.versionId?.split('.').slice(0, 2).join('.');
      return mm ? `Alpine:v${mm}` : undefined;
    }
    case 'almalinux':
      return os.versionId ? `AlmaLinux:${major(os.versionId)}` : undefined;
    case 'rocky':
      return os.versionId ? `Rocky Linux:${major(os.versionId)}` : undefined;
    default:
      return undefined;
  }
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
  switch (c.ecosystem) {
    case 'deb': {
      const ns = osNamespace(os);
      if (!ns || !(ns.startsWith('Debian:') || ns.startsWith('Ubuntu:'))) return [];
      // Debian and Ubuntu key advisories by source package and fix the source version.
      const name = c.source?.name ?? c.name;
      const version = c.source?.version ?? c.version;
      return [{ namespace: ns, package: name, version, scheme: 'dpkg', via: name === c.name ? 'direct' : 'source' }];
    }
    case 'apk': {
      const ns = osNamespace(os);
      if (!ns?.startsWith('Alpine:')) return [];
      const name = c.source?.name ?? c.name;
      return [{ namespace: ns, package: name, version: c.version, scheme: 'apk', via: name === c.name ? 'direct' : 'source' }];
    }
    case 'rpm': {
      const ns = osNamespace(os);
      if (!ns || ns.startsWith('Debian:') || ns.startsWith('Ubuntu:') || ns.startsWith('Alpine:')) return [];
      return [{ namespace: ns, package: c.name, version: rpmEvr(c), scheme: 'rpm', via: 'direct' }];
    }
    case 'npm':
      return [{ namespace: 'npm', package: c.name, version: c.version, scheme: 'semver', via: 'direct' }];
    case 'pypi':
      return [{ namespace: 'PyPI', package: c.name, version: c.version, scheme: 'pep440', via: 'direct' }];
    case 'maven':
      return c.namespace ? [{ namespace: 'Maven', package: `${c.namespace}:${c.name}`, version: c.version, scheme: 'maven', via: 'direct' }] : [];
    case 'golang':
      return [{ namespace: 'Go', package: c.name, version: c.version, scheme: 'go', via: 'direct' }];
    default:
      return [];
  }
}

/**
 * The inverse of lookupTargets for the inverted index: which component ecosystem an
 * advisory namespace's entries can match, and the component names to look for
 * (Maven keys are `group:artifact`, inventories name the artifact). Undefined for a
 * namespace no component is ever looked up in.
 */
export function namespaceTargets(namespace: string, packageKey: string): { ecosystem: Component['ecosystem']; names: string[] } | undefined {
  const eco = namespace.includes(':') ? namespace.slice(0, namespace.indexOf(':')) : namespace;
  switch (eco) {
    case 'Debian':
    case 'Ubuntu':
      return { ecosystem: 'deb', names: [packageKey] };
    case 'Alpine':
      return { ecosystem: 'apk', names: [packageKey] };
    case 'AlmaLinux':
    case 'Rocky Linux':
      return { ecosystem: 'rpm', names: [packageKey] };
    case 'npm':
      return { ecosystem: 'npm', names: [packageKey] };
    case 'PyPI':
      // The key is the normalised name; the fleet store compares components by the same key.
      return { ecosystem: 'pypi', names: [packageKey] };
    case 'Maven':
      return { ecosystem: 'maven', names: [packageKey.slice(packageKey.lastIndexOf(':') + 1)] };
    case 'Go':
      return { ecosystem: 'golang', names: [packageKey] };
    default:
      return undefined;
  }
}
