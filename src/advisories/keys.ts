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
      return name.toLowerCase();
    default:
      return name;
  }
}

/** `Debian:12` → `Debian`, `Rocky Linux:9` → `Rocky Linux`, `npm` → `npm`. */
export function ecosystemOf(namespace: string): string {
  const colon = namespace.indexOf(':');
  return colon < 0 ? namespace : namespace.slice(0, colon);
}
