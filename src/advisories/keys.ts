/**
 * How a package name is keyed in the advisory index, per namespace. Feeds and
 * inventories spell some names differently (PyPI `Django_REST` vs `django-rest`),
 * so both sides go through the same key.
 */
export function packageKey(namespace: string, name: string): string {
  const eco = ecosystemOf(namespace);
  switch (eco) {
    case 'PyPI':
      return name.toLowerCase().replace(/[-_.]+/g, '-');
    case 'Debian':
    case 'Ubuntu':
    case 'Alpine':
    case 'crates.io':
    case 'NuGet':
    case 'Packagist':
      return name.toLowerCase();
    default:
      return name;
  }
}

/** The namespace whose key rules apply to each component ecosystem. */
const ECOSYSTEM_NAMESPACE: Record<string, string> = { deb: 'Debian', apk: 'Alpine', rpm: 'AlmaLinux', npm: 'npm', pypi: 'PyPI', maven: 'Maven', golang: 'Go', cargo: 'crates.io', gem: 'RubyGems', nuget: 'NuGet', composer: 'Packagist' };

/**
 * A component's name keyed as the advisory index keys package names, so the
 * inverted index finds `Django_REST` on a host from an advisory about `django-rest`.
 */
export function componentNameKey(ecosystem: string, name: string): string {
  const ns = ECOSYSTEM_NAMESPACE[ecosystem];
  return ns ? packageKey(ns, name) : name;
}

/** `Debian:12` → `Debian`, `Rocky Linux:9` → `Rocky Linux`, `npm` → `npm`. */
export function ecosystemOf(namespace: string): string {
  const colon = namespace.indexOf(':');
  return colon < 0 ? namespace : namespace.slice(0, colon);
}
