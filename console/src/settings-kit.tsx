import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, apiGet, session, type Query, type Role } from './api';
import { href } from './route';

/**
 * What the Settings pages share: a list read one cursor page at a time (the cursor in
 * the address, so a page can be reloaded and shared), refetched after a change; the
 * pager; a mutation's outcome shown in a live region; and the note shown in place of
 * what the signed-in role may not see.
 */

export interface Listed<T> {
  data?: { items: T[]; next?: string };
  error?: Error;
  loading: boolean;
  reload: () => void;
}

/** One page of `GET /api/v1/<path>`, its items under `key`. */
export function useList<T>(path: string, key: string, query: Query, onUnauthorized: (m: string) => void, enabled = true): Listed<T> {
  const [version, setVersion] = useState(0);
  const id = `${path}?${JSON.stringify(query)}#${version}`;
  const [state, setState] = useState<{ id: string; data?: { items: T[]; next?: string }; error?: Error }>({ id: '' });
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    apiGet<Record<string, unknown>>(path, query).then(
      (body) => live && setState({ id, data: { items: (body[key] ?? []) as T[], ...(typeof body.next === 'string' ? { next: body.next } : {}) } }),
      (error: Error) => {
        if (!live) return;
        if (error instanceof ApiError && error.status === 401) onUnauthorized(error.message);
        setState({ id, error });
      },
    );
    return () => {
      live = false;
    };
  }, [id, enabled]);
  const reload = () => setVersion((v) => v + 1);
  if (state.id !== id) return { loading: enabled, reload };
  return { ...(state.data ? { data: state.data } : {}), ...(state.error ? { error: state.error } : {}), loading: false, reload };
}

/** First page / next page links of a cursor-paged list at `#/settings/<tab>`. */
export function Pager({ path, params, next, what }: { path: string[]; params: Record<string, string | undefined>; next?: string | undefined; what: string }) {
  return (
    <nav class="pager" aria-label={`Pages of ${what}`}>
      {params.cursor ? <a href={href(path, { ...params, cursor: undefined })}>First page</a> : null}
      {next ? (
        <a href={href(path, { ...params, cursor: next })} rel="next">
          Next page of {what}
        </a>
      ) : (
        <span class="muted">Last page</span>
      )}
    </nav>
  );
}

export type Outcome = { ok: boolean; text: string } | undefined;

/** The result of the last action, announced to screen readers. */
export function OutcomeNote({ outcome, testid }: { outcome: Outcome; testid: string }) {
  return (
    <div aria-live="polite" data-testid={testid}>
      {outcome ? (
        <p class={outcome.ok ? 'ok' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      ) : null}
    </div>
  );
}

/** Runs an API action, turning its refusal into an outcome; 401 ends the session. */
export async function act<T>(run: () => Promise<T>, done: (t: T) => string, set: (o: Outcome) => void, onUnauthorized: (m: string) => void): Promise<T | undefined> {
  try {
    const t = await run();
    set({ ok: true, text: done(t) });
    return t;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) onUnauthorized(err.message);
    set({ ok: false, text: err instanceof ApiError ? `The API refused: ${err.message} (${err.status} ${err.code})` : `Failed: ${(err as Error).message}` });
    return undefined;
  }
}

/** Shows `children` to a role that reaches `role`, else says which role it takes. */
export function NeedsRole({ role, what, children }: { role: Role; what: string; children: ComponentChildren }) {
  if (session.can(role)) return <>{children}</>;
  return (
    <p class="muted" data-testid="needs-role">
      {what}: for the {role} role and above; this token ({session.current()?.name}) has the {session.current()?.role} role.
    </p>
  );
}
