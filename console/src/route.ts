import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routing: `#/findings?severity=high&kev=true`. Every page and its filters are
 * in the address, so a view can be bookmarked, shared and reloaded as it is.
 */

export interface Route {
  path: string[];
  params: URLSearchParams;
}

export function currentRoute(): Route {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [p = '/', q = ''] = raw.split('?', 2) as [string?, string?];
  return { path: p.split('/').filter(Boolean).map((s) => decodeURIComponent(s)), params: new URLSearchParams(q) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const on = () => setRoute(currentRoute());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** `#/a/b?k=v` from path segments (each encoded) and parameters (empty ones left out). */
export function href(path: string[], params: Record<string, string | undefined> | URLSearchParams = {}): string {
  const q = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [k, v] of entries) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return `#/${path.map(encodeURIComponent).join('/')}${s ? `?${s}` : ''}`;
}

export function navigate(to: string): void {
  if (location.hash !== to) location.hash = to;
}
