import { useState } from 'preact/hooks';
import { apiPath, apiSend, type Role, type Schema } from '../api';
import { entries } from '../rules';
import { NeedsRole, OutcomeNote, Pager, act, useList, type Outcome } from '../settings-kit';
import { Failure, Loading, Source, when } from '../ui';
import type { TabProps } from './settings';

/** API tokens and their roles (admins only): list, create (the secret shown once) and revoke. */

type ApiToken = Schema<'ApiToken'>;

function Tokens({ params, onUnauthorized }: TabProps) {
  const cursor = params.get('cursor') ?? undefined;
  const list = useList<ApiToken>('tokens', 'tokens', { cursor, limit: '50' }, onUnauthorized);
  const [outcome, setOutcome] = useState<Outcome>();
  const [secret, setSecret] = useState<ApiToken>();
  const [form, setForm] = useState({ name: '', role: 'viewer' as Role, days: '', tags: '' });
  const create = async (e: Event) => {
    e.preventDefault();
    setSecret(undefined);
    const body: Record<string, unknown> = { name: form.name.trim(), role: form.role };
    if (form.days) body.ttlSeconds = Math.round(Number(form.days) * 86_400);
    if (form.role === 'operator' && entries(form.tags).length) body.tags = entries(form.tags);
    const made = await act(() => apiSend<ApiToken>('POST', 'tokens', body), (t) => `Token ${t.name} (${t.role}) created.`, setOutcome, onUnauthorized);
    if (made) {
      setSecret(made);
      setForm({ ...form, name: '' });
      list.reload();
    }
  };
  const revoke = async (t: ApiToken) => {
    if (await act(() => apiSend<ApiToken>('DELETE', `tokens/${t.id}`), () => `Token ${t.name} revoked: it and its console sessions stop working now.`, setOutcome, onUnauthorized)) {
      // A revoked token's secret is no use to anyone: it leaves the page.
      if (secret?.id === t.id) setSecret(undefined);
      list.reload();
    }
  };
  return (
    <>
      <OutcomeNote outcome={outcome} testid="tokens-outcome" />
      {secret?.token ? (
        <div class="secret" role="status" data-testid="token-secret">
          <p>
            The secret of <strong>{secret.name}</strong>, shown this once (only its SHA-256 is kept):
          </p>
          <pre class="command">{secret.token}</pre>
        </div>
      ) : null}
      {list.loading ? <Loading what="API tokens" /> : null}
      {list.error ? <Failure error={list.error} /> : null}
      {list.data ? (
        <>
          <table data-testid="tokens-table">
            <caption class="visually-hidden">API tokens, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Scope</th>
                <th scope="col">Created</th>
                <th scope="col">By</th>
                <th scope="col">Expires</th>
                <th scope="col">Revoked</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((t) => (
                <tr key={t.id} data-token={t.id}>
                  <td>
                    <code>{t.id}</code>
                  </td>
                  <td>{t.name}</td>
                  <td>{t.role}</td>
                  <td>{t.tags?.join(', ') ?? <span class="muted">every host</span>}</td>
                  <td>{when(t.createdAt)}</td>
                  <td>{t.createdBy}</td>
                  <td>{t.expiresAt ? when(t.expiresAt) : <span class="muted">never</span>}</td>
                  <td>{t.revokedAt ? when(t.revokedAt) : ''}</td>
                  <td>
                    {t.revokedAt ? null : (
                      <button type="button" class="danger" aria-label={`Revoke token ${t.name}`} onClick={() => void revoke(t)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager path={['settings', 'tokens']} params={{ cursor }} next={list.data.next} what="tokens" />
        </>
      ) : null}
      <Source>
        <code>{apiPath('tokens', { limit: '50' })}</code> (one page per cursor)
      </Source>
      <form class="filters" aria-labelledby="new-token" onSubmit={(e) => void create(e)} data-testid="token-form">
        <h2 id="new-token">New token</h2>
        <div class="field">
          <label for="t-name">Name</label>
          <input id="t-name" name="name" maxLength={64} value={form.name} onInput={(e) => setForm({ ...form, name: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="field">
          <label for="t-role">Role</label>
          <select id="t-role" name="role" value={form.role} onChange={(e) => setForm({ ...form, role: (e.target as HTMLSelectElement).value as Role })}>
            <option value="viewer">viewer: reads</option>
            <option value="operator">operator: also rescans, suppresses, patches</option>
            <option value="admin">admin: also tokens, routes, revocation</option>
          </select>
        </div>
        {form.role === 'operator' ? (
          <div class="field">
            <label for="t-tags">Host tag scope (key=value, optional)</label>
            <input id="t-tags" name="tags" value={form.tags} onInput={(e) => setForm({ ...form, tags: (e.target as HTMLInputElement).value })} />
          </div>
        ) : null}
        <div class="field">
          <label for="t-days">Lifetime in days (optional)</label>
          <input id="t-days" name="days" type="number" min="1" value={form.days} onInput={(e) => setForm({ ...form, days: (e.target as HTMLInputElement).value })} />
        </div>
        <button class="primary" type="submit">
          Create token
        </button>
      </form>
    </>
  );
}

export function TokensTab(props: TabProps) {
  return (
    <NeedsRole role="admin" what="API tokens">
      <Tokens {...props} />
    </NeedsRole>
  );
}
