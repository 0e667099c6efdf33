import { api, asList, type Node } from '../api';
import { Badge, Empty, ErrorBox, Loaded, Page, fmtNum, useAction, useLoad } from '../ui';

interface NodeModels {
  node: Node;
  models: Record<string, unknown>[];
}

function name(m: Record<string, unknown>): string {
  return String(m.name ?? m.model ?? m.model_name ?? m.id ?? '?');
}

async function load(): Promise<NodeModels[]> {
  const nodes = await api.get<Node[]>('/admin/nodes');
  // The first answer decides: a 404 means the server has no model discovery (shown as "not available").
  return Promise.all(
    nodes.map(async (node) => {
      const data = await api.get<unknown>(`/admin/nodes/${node.id}/models`);
      const models = asList<unknown>(data, 'models').map((m) => (typeof m === 'string' ? { name: m } : (m as Record<string, unknown>)));
      return { node, models };
    }),
  );
}

export function Models() {
  const l = useLoad(load);
  const a = useAction();
  return (
    <Page title="Models" subtitle="What each node serves, as last discovered">
      <ErrorBox message={a.error} />
      <Loaded
        load={l}
        what="model discovery"
        render={(rows) =>
          rows.length === 0 ? (
            <Empty>No nodes.</Empty>
          ) : (
            <>
              {rows.map((r) => (
                <div class="card" key={r.node.id}>
                  <div class="node-head">
                    <strong>{r.node.name}</strong>
                    <Badge>{r.node.node_type}</Badge>
                    <span class="spacer" />
                    <button
                      type="button"
                      class="secondary"
                      disabled={a.busy}
                      onClick={() => a.run(async () => void (await api.post(`/admin/nodes/${r.node.id}/discover`), l.reload()))}
                    >
                      Sync models
                    </button>
                  </div>
                  {r.models.length === 0 ? (
                    <Empty>No models discovered on this node.</Empty>
                  ) : (
                    <table class="table">
                      <thead>
                        <tr>
                          <th>Model</th>
                          <th>Context</th>
                          <th>Capabilities</th>
                          <th>Size</th>
                        </tr>
                      </thead>
                      <tbody>
                        {r.models.map((m) => (
                          <tr key={name(m)}>
                            <td>{name(m)}</td>
                            <td>{fmtNum((m.context_length as number) ?? null)}</td>
                            <td>{asList<string>(m.capabilities).map((c) => <Badge key={c}>{c}</Badge>)}</td>
                            <td>{m.size ? fmtNum(m.size as number) : '–'}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                </div>
              ))}
            </>
          )
        }
      />
    </Page>
  );
}
