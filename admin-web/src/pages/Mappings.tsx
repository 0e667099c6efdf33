import { useState } from 'preact/hooks';
import { api, asList, type Mapping, type Node } from '../api';
import { Badge, Empty, ErrorBox, Field, Loaded, Page, useAction, useLoad } from '../ui';

const CAPS = ['completion', 'tools', 'thinking', 'vision', 'embedding', 'insert', 'code', 'reasoning'];

export function Mappings() {
  const l = useLoad(async () => {
    const [mappings, nodes] = await Promise.all([api.get<unknown>('/admin/model-mappings'), api.get<Node[]>('/admin/nodes')]);
    return { mappings: asList<Mapping>(mappings, 'mappings'), nodes };
  });
  const [f, setF] = useState({ display_name: '', real_name: '', context_length: '', node_id: '' });
  const [caps, setCaps] = useState<string[]>([]);
  const a = useAction();
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = (e: Event) => {
    e.preventDefault();
    a.run(async () => {
      const body: Record<string, unknown> = { display_name: f.display_name.trim(), real_name: f.real_name.trim() };
      if (f.context_length.trim()) body.context_length = f.context_length.trim();
      if (f.node_id) body.node_id = Number(f.node_id);
      if (caps.length) body.capabilities = caps;
      await api.post('/admin/model-mappings', body);
      setF({ display_name: '', real_name: '', context_length: '', node_id: '' });
      setCaps([]);
      l.reload();
    });
  };
  return (
    <Page title="Mappings" subtitle="Friendly model names clients use, and the real model behind each">
      <Loaded
        load={l}
        what="model mappings"
        render={({ mappings, nodes }) => (
          <>
            <form class="card" onSubmit={submit}>
              <h3>Add or replace a mapping</h3>
              <div class="form-grid">
                <Field label="Display name">
                  <input required value={f.display_name} onInput={set('display_name')} placeholder="coder" />
                </Field>
                <Field label="Real model">
                  <input required value={f.real_name} onInput={set('real_name')} placeholder="qwen2.5-coder:32b" />
                </Field>
                <Field label="Context length" hint="131072, 128K, 1M">
                  <input value={f.context_length} onInput={set('context_length')} />
                </Field>
                <Field label="Node" hint="empty: any node serving it">
                  <select value={f.node_id} onChange={set('node_id')}>
                    <option value="">any node</option>
                    {nodes.map((n) => (
                      <option key={n.id} value={String(n.id)}>
                        {n.name}
                      </option>
                    ))}
                  </select>
                </Field>
              </div>
              <div class="caps">
                {CAPS.map((c) => (
                  <label key={c} class="check">
                    <input
                      type="checkbox"
                      checked={caps.includes(c)}
                      onChange={(e) => setCaps(e.currentTarget.checked ? [...caps, c] : caps.filter((x) => x !== c))}
                    />
                    {c}
                  </label>
                ))}
              </div>
              <ErrorBox message={a.error} />
              <button disabled={a.busy}>Save mapping</button>
            </form>
            {mappings.length === 0 ? (
              <Empty>No mappings: clients use real model names.</Empty>
            ) : (
              <table class="table">
                <thead>
                  <tr>
                    <th>Display name</th>
                    <th>Real model</th>
                    <th>Node</th>
                    <th>Context</th>
                    <th>Capabilities</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {mappings.map((m) => (
                    <tr key={m.display_name}>
                      <td>
                        <strong>{m.display_name}</strong>
                      </td>
                      <td>{m.real_name}</td>
                      <td>
                        {m.node_name ??
                          (m.node_ids?.length
                            ? m.node_ids.map((id) => nodes.find((n) => n.id === id)?.name ?? '#' + id).join(', ')
                            : 'any')}
                      </td>
                      <td>{m.context_length_display ?? m.context_length ?? '–'}</td>
                      <td>{(m.capabilities ?? []).map((c) => <Badge key={c}>{c}</Badge>)}</td>
                      <td class="row-actions">
                        <button
                          type="button"
                          class="danger"
                          onClick={() =>
                            a.run(async () => {
                              await api.del(`/admin/model-mappings/${encodeURIComponent(m.display_name)}`);
                              l.reload();
                            })
                          }
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
