import { useState } from 'preact/hooks';
import { api, asList } from '../api';
import { Badge, Empty, ErrorBox, Field, Loaded, Page, useAction, useLoad } from '../ui';

interface Member {
  model_display_name?: string;
  model?: string;
  priority?: number;
}
interface Group {
  id?: number;
  name: string;
  strategy?: string;
  description?: string | null;
  is_active?: boolean;
  members?: Member[];
}

const STRATEGIES = ['priority', 'round_robin', 'weighted', 'fallback'];

export function Groups() {
  const l = useLoad(async () => asList<Group>(await api.get<unknown>('/admin/model-groups'), 'groups'));
  const [f, setF] = useState({ name: '', strategy: 'priority', description: '' });
  const [member, setMember] = useState<Record<string, string>>({});
  const a = useAction();
  const g = (name: string) => `/admin/model-groups/${encodeURIComponent(name)}`;
  return (
    <Page title="Groups" subtitle="One model name that spreads over, or falls back between, several models">
      <Loaded
        load={l}
        what="model groups"
        render={(groups) => (
          <>
            <form
              class="inline-form card"
              onSubmit={(e) => {
                e.preventDefault();
                a.run(async () => {
                  await api.post('/admin/model-groups', { name: f.name.trim(), strategy: f.strategy, description: f.description || null });
                  setF({ name: '', strategy: 'priority', description: '' });
                  l.reload();
                });
              }}
            >
              <Field label="Group name">
                <input required value={f.name} onInput={(e) => setF({ ...f, name: e.currentTarget.value })} placeholder="coding" />
              </Field>
              <Field label="Strategy">
                <select value={f.strategy} onChange={(e) => setF({ ...f, strategy: e.currentTarget.value })}>
                  {STRATEGIES.map((s) => (
                    <option key={s}>{s}</option>
                  ))}
                </select>
              </Field>
              <Field label="Description">
                <input value={f.description} onInput={(e) => setF({ ...f, description: e.currentTarget.value })} />
              </Field>
              <button disabled={a.busy}>Create group</button>
            </form>
            <ErrorBox message={a.error} />
            {groups.length === 0 ? (
              <Empty>No groups yet.</Empty>
            ) : (
              groups.map((grp) => {
                const members = [...(grp.members ?? [])].sort((x, y) => (x.priority ?? 0) - (y.priority ?? 0));
                return (
                  <div class="card" key={grp.name}>
                    <div class="node-head">
                      <strong>{grp.name}</strong>
                      {grp.strategy && <Badge>{grp.strategy}</Badge>}
                      <span class="muted">{grp.description}</span>
                      <span class="spacer" />
                      <button
                        type="button"
                        class="danger"
                        onClick={() => a.run(async () => void (await api.del(g(grp.name)), l.reload()))}
                      >
                        Delete
                      </button>
                    </div>
                    <ol class="members">
                      {members.map((m, i) => {
                        const model = m.model_display_name ?? m.model ?? '?';
                        return (
                          <li key={model}>
                            <span>
                              {i + 1}. {model}
                            </span>
                            <button
                              type="button"
                              class="link"
                              onClick={() =>
                                a.run(async () => void (await api.del(`${g(grp.name)}/members/${encodeURIComponent(model)}`), l.reload()))
                              }
                            >
                              remove
                            </button>
                          </li>
                        );
                      })}
                    </ol>
                    <form
                      class="inline-form"
                      onSubmit={(e) => {
                        e.preventDefault();
                        a.run(async () => {
                          await api.post(`${g(grp.name)}/members`, {
                            model_display_name: (member[grp.name] ?? '').trim(),
                            priority: members.length + 1,
                          });
                          setMember({ ...member, [grp.name]: '' });
                          l.reload();
                        });
                      }}
                    >
                      <Field label="Add member">
                        <input
                          required
                          value={member[grp.name] ?? ''}
                          onInput={(e) => setMember({ ...member, [grp.name]: e.currentTarget.value })}
                          placeholder="model display name"
                        />
                      </Field>
                      <button disabled={a.busy}>Add</button>
                    </form>
                  </div>
                );
              })
            )}
          </>
        )}
      />
    </Page>
  );
}
