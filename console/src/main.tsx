import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { ApiError, session, type Me } from './api';
import { href, navigate, useRoute } from './route';
import { Dashboard } from './pages/dashboard';
import { Findings } from './pages/findings';
import { FindingDetail } from './pages/finding';
import { HostDetailPage } from './pages/host';
import { Hosts } from './pages/hosts';
import { Jobs } from './pages/jobs';
import { NewJob } from './pages/job-new';
import { JobDetail } from './pages/job';
import { Settings } from './pages/settings';
import { ReadyScope } from './ready';
import { Loading } from './ui';

/** Sign-in: an API token pasted once and exchanged for a session cookie; the token itself is not kept. */
function Login({ message, onLogin }: { message?: string; onLogin: (me: Me) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState(message);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const t = token.trim();
    if (!t) {
      setError('Paste an API token first.');
      return;
    }
    setBusy(true);
    try {
      onLogin(await session.signIn(t));
    } catch (err) {
      setError(err instanceof ApiError ? `The server refused this token: ${err.message}` : `The server could not be reached: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="content" class="login">
      <h1>Sign in to Vigil</h1>
      <form onSubmit={submit} aria-describedby="token-hint">
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="off" spellcheck={false} value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
        <p id="token-hint" class="hint">
          A token from <code>vigil token create --role viewer --name NAME</code>, or the data directory's <code>api.token</code>. It is sent once, to this server, which answers
          a session cookie the page cannot read; the token is not kept in the browser.
        </p>
        {error ? (
          <div class="error" role="alert" data-testid="login-error">
            {error}
          </div>
        ) : null}
        <button class="primary" type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

const NAV: Array<[string, string]> = [
  ['', 'Dashboard'],
  ['findings', 'Findings'],
  ['hosts', 'Hosts'],
  ['jobs', 'Patch jobs'],
  ['settings', 'Settings'],
];

/** The name of a page's ready mark (`vigil:ready:<name>`, ready.tsx) by its address path. */
function pageName(path: string[]): string {
  const [section = '', id, sub] = path;
  if (section === '') return 'dashboard';
  if (section === 'hosts') return sub === 'findings' ? 'finding' : id !== undefined ? 'host' : 'hosts';
  if (section === 'jobs') return id === 'new' ? 'job-new' : id !== undefined ? 'job' : 'jobs';
  return section;
}

function App() {
  const route = useRoute();
  const [me, setMe] = useState<Me | undefined | 'checking'>('checking');
  const [message, setMessage] = useState<string>();
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    session.resume().then(
      (r) => {
        if (r.ended) setMessage(`Signed out: ${r.ended}`);
        setMe(r.me);
      },
      (err: Error) => {
        setMessage(`The server could not be reached: ${err.message}`);
        setMe(undefined);
      },
    );
  }, []);
  const signOut = (why?: string) => {
    if (why) session.forget();
    else void session.signOut().catch(() => undefined);
    setMessage(why ? `Signed out: ${why}` : undefined);
    setMe(undefined);
  };
  const path = route.path;
  const section = path[0] ?? '';
  useEffect(() => {
    document.title = `${NAV.find(([p]) => p === section)?.[1] ?? 'Vigil'} · Vigil console`;
  }, [section, path.length]);
  if (me === 'checking') return <Loading what="the session" />;
  if (!me) {
    return (
      <Login
        {...(message ? { message } : {})}
        onLogin={(m) => {
          setMessage(undefined);
          setMe(m);
        }}
      />
    );
  }
  const unauthorized = (m: string) => signOut(m);
  let page;
  if (section === '') page = <Dashboard params={route.params} onUnauthorized={unauthorized} />;
  else if (section === 'findings') page = <Findings params={route.params} onUnauthorized={unauthorized} />;
  else if (section === 'hosts' && path.length === 1) page = <Hosts params={route.params} onUnauthorized={unauthorized} />;
  else if (section === 'hosts' && path.length === 2) page = <HostDetailPage id={path[1]!} params={route.params} onUnauthorized={unauthorized} />;
  else if (section === 'jobs' && path.length === 1) page = <Jobs params={route.params} onUnauthorized={unauthorized} />;
  else if (section === 'jobs' && path[1] === 'new') page = <NewJob params={route.params} onUnauthorized={unauthorized} />;
  else if (section === 'jobs' && path.length === 2) page = <JobDetail id={path[1]!} onUnauthorized={unauthorized} />;
  else if (section === 'hosts' && path.length === 4 && path[2] === 'findings') page = <FindingDetail hostId={path[1]!} id={path[3]!} onUnauthorized={unauthorized} />;
  else if (section === 'settings' && path.length <= 2) page = <Settings tab={path[1]} params={route.params} onUnauthorized={unauthorized} />;
  else
    page = (
      <div class="error" role="alert">
        No page at this address. <a href={href([])}>Go to the dashboard</a>.
      </div>
    );
  return (
    <>
      <a class="skip" href="#content" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href([])}>
          Vigil
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([p, label]) => (
              <li key={p}>
                <a href={href(p ? [p] : [])} aria-current={section === p ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span data-testid="who">
            {me.name} ({me.role})
          </span>
          <button type="button" onClick={() => (signOut(), navigate(href([])))}>
            Sign out
          </button>
        </div>
      </header>
      <main id="content" ref={main} tabIndex={-1}>
        <ReadyScope page={pageName(path)} view={path.join('/')}>
          {page}
        </ReadyScope>
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
