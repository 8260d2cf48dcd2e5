import { advisoryNameKey, componentNameKey as componentKeyOf } from '../ecosystems/index.js';

/**
 * How a package name is keyed in the advisory index, per namespace. Feeds and
 * inventories spell some names differently (PyPI `Django_REST` vs `django-rest`),
 * so both sides go through the same key, declared by each ecosystem's registry file.
 */
export function packageKey(namespace: string, name: string): string {
  return advisoryNameKey(namespace)(name);
}

/**
 * A component's name keyed as the advisory index keys package names, so the
 * inverted index finds `Django_REST` on a host from an advisory about `django-rest`.
 */
export function componentNameKey(ecosystem: string, name: string): string {
  return componentKeyOf(ecosystem, name);
}

/** `Debian:12` → `Debian`, `Rocky Linux:9` → `Rocky Linux`, `npm` → `npm`. */
export function ecosystemOf(namespace: string): string {
  const colon = namespace.indexOf(':');
  return colon < 0 ? namespace : namespace.slice(0, colon);
}
