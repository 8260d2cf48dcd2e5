/**
 * The matcher compares each installed version with many range bounds and the same
 * bounds with many hosts, so parses repeat: caching them makes a comparison about ten
 * times faster for the schemes whose parse is costly (Maven, PEP 440).
 *
 * The cache is emptied when it reaches `limit` entries rather than evicting one entry
 * at a time: per-entry eviction measured slower once the working set outgrows the
 * cache. At the default limit it holds a few megabytes.
 *
 * A parse that throws (a VersionError for a malformed version) is not cached, so a
 * hostile inventory cannot fill the cache with strings that are no version at all.
 */
export function cachedParser<T>(parse: (v: string) => T, limit = 10_000): (v: string) => T {
  const cache = new Map<string, T>();
  return (v: string): T => {
    let p = cache.get(v);
    if (p === undefined) {
      p = parse(v);
      if (cache.size >= limit) cache.clear();
      cache.set(v, p);
    }
    return p;
  };
}
