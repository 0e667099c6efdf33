import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, onSignedOut, type Session } from './api';
import { AuditLogs } from './pages/AuditLogs';
import { Config } from './pages/Config';
import { Dashboard } from './pages/Dashboard';
import { Groups } from './pages/Groups';
import { Mappings } from './pages/Mappings';
import { Models } from './pages/Models';
import { Nodes } from './pages/Nodes';
import { Requests } from './pages/Requests';
import { Settings } from './pages/Settings';
import { ToolSets } from './pages/ToolSets';
import { Users } from './pages/Users';
import { ErrorBox, Field } from './ui';
import './style.css';

interface Route {
  path: string;
  label: string;
  section?: string;
  page: () => preact.JSX.Element;
}

// Hash routing: the server serves only /admin/ and /admin/assets/**.
const ROUTES: Route[] = [
  { path: 'dashboard', label: 'Dashboard', page: Dashboard },
  { path: 'users', label: 'Users', page: Users },
  { path: 'nodes', label: 'Nodes', page: Nodes },
  { path: 'models', label: 'Models', section: 'AI Models', page: Models },
  { path: 'mappings', label: 'Mappings', section: 'AI Models', page: Mappings },
  { path: 'groups', label: 'Groups', section: 'AI Models', page: Groups },
  { path: 'config', label: 'Config', section: 'AI Models', page: Config },
  { path: 'tool-sets', label: 'Tool sets', page: ToolSets },
  { path: 'requests', label: 'Request logs', page: Requests },
  { path: 'settings', label: 'Settings', page: Settings },
  { path: 'audit-logs', label: 'Audit logs', page: AuditLogs },
];

function currentPath(): string {
  const h = window.location.hash.replace(/^#\/?/, '').split('?')[0];
  return ROUTES.some((r) => r.path === h) ? h : 'dashboard';
}

function SignIn(props: { onSignedIn: (s: Session) => void; expired: boolean }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(props.expired ? 'Your session ended; sign in again.' : null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onSignedIn(await api.post<Session>('/admin/session', { username, password }));
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setError(
        status === 401
          ? 'Wrong username or password.'
          : status === 429
            ? (err as ApiError).message
            : err instanceof Error
              ? err.message
              : String(err),
      );
    } finally {
      setBusy(false);
      setPassword('');
    }
  };
  return (
    <main class="signin">
      <form class="card" onSubmit={submit} data-testid="signin-form">
        <h1>Model Maestro</h1>
        <p class="muted">Sign in to the admin site</p>
        <Field label="Username">
          <input name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </Field>
        <Field label="Password">
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            autofocus
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <ErrorBox message={error} />
        <button disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        <p class="muted small">
          The password is <code>MAESTRO_ADMIN_PASSWORD</code>, or the one generated into <code>.maestro-data/admin-password</code>.
        </p>
      </form>
    </main>
  );
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    api.get<Session>('/admin/session').then(setSession, () => setSession(null));
    const onHash = () => setPath(currentPath());
    window.addEventListener('hashchange', onHash);
    const off = onSignedOut(() => {
      setExpired(true);
      setSession(null);
    });
    return () => {
      window.removeEventListener('hashchange', onHash);
      off();
    };
  }, []);
  if (session === undefined) return <p class="muted center">Loading…</p>;
  if (session === null)
    return (
      <SignIn
        expired={expired}
        onSignedIn={(s) => {
          setExpired(false);
          setSession(s);
        }}
      />
    );
  const route = ROUTES.find((r) => r.path === path) ?? ROUTES[0];
  const Current = route.page;
  let section: string | undefined;
  return (
    <div class="shell">
      <nav class="sidebar" aria-label="Admin pages">
        <div class="brand">Model Maestro</div>
        <ul>
          {ROUTES.map((r) => {
            const head = r.section && r.section !== section ? r.section : null;
            section = r.section;
            return [
              head ? (
                <li key={head} class="nav-section">
                  {head}
                </li>
              ) : null,
              <li key={r.path}>
                <a href={'#/' + r.path} class={r.path === route.path ? 'active' : ''} aria-current={r.path === route.path ? 'page' : undefined}>
                  {r.label}
                </a>
              </li>,
            ];
          })}
        </ul>
        <div class="whoami">
          <span>
            Signed in as <strong data-testid="whoami">{session.username}</strong>
          </span>
          <button
            type="button"
            class="link"
            onClick={async () => {
              try {
                await api.del('/admin/session');
              } finally {
                setSession(null);
              }
            }}
          >
            Sign out
          </button>
        </div>
      </nav>
      <main class="content">
        <Current key={route.path} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
