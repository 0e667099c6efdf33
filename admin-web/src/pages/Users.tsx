import { useState } from 'preact/hooks';
import { api, type NewUser, type User } from '../api';
import { Badge, CopyButton, Empty, ErrorBox, Field, Loaded, Page, fmtTime, useAction, useLoad } from '../ui';

interface Limits {
  request_limit: number | null;
  token_limit: number | null;
}
interface ModelsView {
  has_all_models: boolean;
  models: string[];
  restricted: boolean;
}

function TokenPanel(props: { username: string; token: string; onClose: () => void }) {
  return (
    <div class="token-panel" data-testid="token-panel">
      <p>
        Token for <strong>{props.username}</strong>. It is shown only now (and on rotation): copy it to the user.
      </p>
      <div class="token-row">
        <code id="new-token" data-testid="new-token">
          {props.token}
        </code>
        <CopyButton text={props.token} target="new-token" label="Copy token" />
      </div>
      <button type="button" class="link" onClick={props.onClose}>
        Done
      </button>
    </div>
  );
}

function UserDetail(props: { user: User }) {
  const u = encodeURIComponent(props.user.username);
  const limits = useLoad(() => api.get<Limits>(`/admin/users/${u}/limits`), [u]);
  const models = useLoad(() => api.get<ModelsView>(`/admin/users/${u}/models`), [u]);
  const [req, setReq] = useState('');
  const [tok, setTok] = useState('');
  const [allow, setAllow] = useState('');
  const a = useAction();
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  return (
    <div class="detail">
      <h3>Daily limits</h3>
      <Loaded
        load={limits}
        what="user limits"
        render={(l) => (
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              a.run(async () => {
                await api.put(`/admin/users/${u}/limits`, { request_limit: num(req), token_limit: num(tok) });
                limits.reload();
              });
            }}
          >
            <Field label="Requests per day" hint={`now: ${l.request_limit ?? 'unlimited'}`}>
              <input type="number" min="0" value={req} onInput={(e) => setReq(e.currentTarget.value)} placeholder="unlimited" />
            </Field>
            <Field label="Tokens per day" hint={`now: ${l.token_limit ?? 'unlimited'}`}>
              <input type="number" min="0" value={tok} onInput={(e) => setTok(e.currentTarget.value)} placeholder="unlimited" />
            </Field>
            <button disabled={a.busy}>Save limits</button>
          </form>
        )}
      />
      <h3>Models</h3>
      <Loaded
        load={models}
        what="model access"
        render={(m) => (
          <>
            <p>
              {m.has_all_models ? (
                <Badge kind="ok">all models</Badge>
              ) : m.models.length ? (
                m.models.map((x) => <Badge key={x}>{x}</Badge>)
              ) : (
                <span class="muted">{m.restricted ? 'no models' : 'unrestricted'}</span>
              )}
            </p>
            <form
              class="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                a.run(async () => {
                  const list = allow.split(',').map((s) => s.trim()).filter(Boolean);
                  await api.post(`/admin/users/${u}/models`, { models: list });
                  setAllow('');
                  models.reload();
                });
              }}
            >
              <Field label="Allow only these models" hint="comma-separated display names">
                <input value={allow} onInput={(e) => setAllow(e.currentTarget.value)} placeholder="coder, llama3.1:8b" />
              </Field>
              <button disabled={a.busy}>Set models</button>
              <button
                type="button"
                class="secondary"
                disabled={a.busy}
                onClick={() =>
                  a.run(async () => {
                    await api.post(`/admin/users/${u}/models/all`);
                    models.reload();
                  })
                }
              >
                Grant all models
              </button>
            </form>
          </>
        )}
      />
      <ErrorBox message={a.error} />
    </div>
  );
}

export function Users() {
  const list = useLoad(() => api.get<User[]>('/admin/users'));
  const [name, setName] = useState('');
  const [shown, setShown] = useState<{ username: string; token: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const a = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    a.run(async () => {
      const u = await api.post<NewUser>('/admin/users', { username: name.trim() });
      setShown({ username: u.username, token: u.token });
      setName('');
      list.reload();
    });
  };
  const act = (fn: () => Promise<unknown>) => a.run(async () => void (await fn(), list.reload()));
  return (
    <Page title="Users" subtitle="People and programs that call the gateway, each with its own token">
      <form class="inline-form card" onSubmit={create}>
        <Field label="New user">
          <input name="username" required value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="alice" />
        </Field>
        <button disabled={a.busy || !name.trim()}>Create user</button>
      </form>
      {shown && <TokenPanel {...shown} onClose={() => setShown(null)} />}
      <ErrorBox message={a.error} />
      <Loaded
        load={list}
        what="users"
        render={(users) =>
          users.length === 0 ? (
            <Empty>No users yet.</Empty>
          ) : (
            <table class="table" data-testid="users-table">
              <thead>
                <tr>
                  <th>User</th>
                  <th>Status</th>
                  <th>Created</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {users.map((u) => {
                  const p = encodeURIComponent(u.username);
                  return [
                    <tr key={u.username} data-user={u.username}>
                      <td>
                        <button type="button" class="link" onClick={() => setOpen(open === u.username ? null : u.username)}>
                          {u.username}
                        </button>
                      </td>
                      <td>{u.is_active ? <Badge kind="ok">active</Badge> : <Badge kind="muted">deactivated</Badge>}</td>
                      <td>{fmtTime(u.created_at)}</td>
                      <td class="row-actions">
                        <button
                          type="button"
                          class="secondary"
                          onClick={() =>
                            a.run(async () => {
                              const r = await api.put<{ username: string; token: string }>(`/admin/users/${p}/token`);
                              setShown(r);
                            })
                          }
                        >
                          Rotate token
                        </button>
                        {u.is_active ? (
                          <button type="button" class="secondary" onClick={() => act(() => api.post(`/admin/users/${p}/deactivate`))}>
                            Deactivate
                          </button>
                        ) : (
                          <button type="button" class="secondary" onClick={() => act(() => api.post(`/admin/users/${p}/activate`))}>
                            Activate
                          </button>
                        )}
                      </td>
                    </tr>,
                    open === u.username ? (
                      <tr key={u.username + '-detail'}>
                        <td colSpan={4}>
                          <UserDetail user={u} />
                        </td>
                      </tr>
                    ) : null,
                  ];
                })}
              </tbody>
            </table>
          )
        }
      />
    </Page>
  );
}
