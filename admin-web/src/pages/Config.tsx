import { useState } from 'preact/hooks';
import { api, asList } from '../api';
import { Empty, ErrorBox, Field, Loaded, Page, fmtTime, useAction, useLoad } from '../ui';

interface Entry {
  key: string;
  value: unknown;
  description?: string | null;
  updated_at?: string | null;
}

/** AI Models > Config: per-model and system key/value configuration (/admin/config). */
export function Config() {
  const l = useLoad(async () => asList<Entry>(await api.get<unknown>('/admin/config'), 'config', 'configs', 'entries'));
  const [f, setF] = useState({ key: '', value: '', description: '' });
  const a = useAction();
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return (
    <Page title="Config" subtitle="Per-model tool restrictions and other key/value configuration">
      <Loaded
        load={l}
        what="model configuration"
        render={(entries) => (
          <>
            <form
              class="inline-form card"
              onSubmit={(e) => {
                e.preventDefault();
                a.run(async () => {
                  await api.post('/admin/config', { key: f.key.trim(), value: f.value, description: f.description || null });
                  setF({ key: '', value: '', description: '' });
                  l.reload();
                });
              }}
            >
              <Field label="Key">
                <input required value={f.key} onInput={(e) => setF({ ...f, key: e.currentTarget.value })} />
              </Field>
              <Field label="Value">
                <input value={f.value} onInput={(e) => setF({ ...f, value: e.currentTarget.value })} />
              </Field>
              <Field label="Description">
                <input value={f.description} onInput={(e) => setF({ ...f, description: e.currentTarget.value })} />
              </Field>
              <button disabled={a.busy}>Set</button>
            </form>
            <ErrorBox message={a.error} />
            {entries.length === 0 ? (
              <Empty>No configuration entries.</Empty>
            ) : (
              <table class="table">
                <thead>
                  <tr>
                    <th>Key</th>
                    <th>Value</th>
                    <th>Description</th>
                    <th>Updated</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {entries.map((c) => (
                    <tr key={c.key}>
                      <td>
                        <code>{c.key}</code>
                      </td>
                      <td>{show(c.value)}</td>
                      <td>{c.description}</td>
                      <td>{fmtTime(c.updated_at)}</td>
                      <td>
                        <button
                          type="button"
                          class="danger"
                          onClick={() => a.run(async () => void (await api.del(`/admin/config/${encodeURIComponent(c.key)}`), l.reload()))}
                        >
                          Delete
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      />
    </Page>
  );
}
