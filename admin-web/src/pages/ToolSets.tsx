import { useState } from 'preact/hooks';
import { api, asList } from '../api';
import { Badge, Empty, ErrorBox, Field, Loaded, Page, useAction, useLoad } from '../ui';

interface ToolSet {
  id: number;
  name: string;
  tools: string[] | null;
  description?: string | null;
}

export function ToolSets() {
  const l = useLoad(async () => asList<ToolSet>(await api.get<unknown>('/admin/tool-sets'), 'tool_sets', 'toolsets'));
  const [f, setF] = useState({ name: '', tools: '', description: '' });
  const a = useAction();
  return (
    <Page title="Tool sets" subtitle="Named groups of tools that models may be limited to">
      <Loaded
        load={l}
        what="tool sets"
        render={(sets) => (
          <>
            <form
              class="inline-form card"
              onSubmit={(e) => {
                e.preventDefault();
                a.run(async () => {
                  const tools = f.tools.split(',').map((s) => s.trim()).filter(Boolean);
                  await api.post('/admin/tool-sets', { name: f.name.trim(), tools, description: f.description || null });
                  setF({ name: '', tools: '', description: '' });
                  l.reload();
                });
              }}
            >
              <Field label="Name">
                <input required value={f.name} onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />
              </Field>
              <Field label="Tools" hint="comma-separated">
                <input value={f.tools} onInput={(e) => setF({ ...f, tools: e.currentTarget.value })} placeholder="read_file, grep" />
              </Field>
              <Field label="Description">
                <input value={f.description} onInput={(e) => setF({ ...f, description: e.currentTarget.value })} />
              </Field>
              <button disabled={a.busy}>Create</button>
            </form>
            <ErrorBox message={a.error} />
            {sets.length === 0 ? (
              <Empty>No tool sets.</Empty>
            ) : (
              <table class="table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Tools</th>
                    <th>Description</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {sets.map((t) => (
                    <tr key={t.id ?? t.name}>
                      <td>{t.name}</td>
                      <td>{t.tools === null ? <Badge kind="ok">all tools</Badge> : t.tools.map((x) => <Badge key={x}>{x}</Badge>)}</td>
                      <td>{t.description}</td>
                      <td>
                        <button
                          type="button"
                          class="danger"
                          onClick={() => a.run(async () => void (await api.del(`/admin/tool-sets/${t.id}`), l.reload()))}
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
