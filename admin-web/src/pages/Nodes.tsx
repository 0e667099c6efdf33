import { useEffect, useState } from 'preact/hooks';
import { api, type Node } from '../api';
import { Badge, Empty, ErrorBox, Field, Loaded, Page, fmtTime, health, useAction, useLoad } from '../ui';

const TYPES = ['ollama', 'openai', 'vllm', 'anthropic', 'bedrock'];

/** Priorities for an order, highest first: distinct steps of 10 so every position is unambiguous. */
export function prioritiesFor(order: Node[]): { id: number; priority: number }[] {
  return order.map((n, i) => ({ id: n.id, priority: (order.length - i) * 10 }));
}

function NodeForm(props: { node?: Node; onDone: () => void; onCancel?: () => void }) {
  const n = props.node;
  const [f, setF] = useState({
    name: n?.name ?? '',
    code: n?.code ?? '',
    node_type: n?.node_type ?? 'openai',
    base_url: n?.base_url ?? '',
    api_key: '',
    priority: String(n?.priority ?? 0),
    weight: String(n?.weight ?? 100),
  });
  const a = useAction();
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = (e: Event) => {
    e.preventDefault();
    a.run(async () => {
      const body: Record<string, unknown> = {
        name: f.name.trim(),
        code: f.code.trim() || null,
        node_type: f.node_type,
        base_url: f.base_url.trim(),
        priority: Number(f.priority || 0),
        weight: Number(f.weight || 100),
      };
      if (f.api_key) body.api_key = f.api_key;
      if (n) await api.put(`/admin/nodes/${n.id}`, body);
      else await api.post('/admin/nodes', body);
      props.onDone();
    });
  };
  return (
    <form class="card node-form" onSubmit={submit} data-testid={n ? 'edit-node-form' : 'add-node-form'}>
      <h3>{n ? `Edit ${n.name}` : 'Add a node'}</h3>
      <div class="form-grid">
        <Field label="Name">
          <input name="name" required value={f.name} onInput={set('name')} />
        </Field>
        <Field label="Code" hint="for node:CODE:model pinning">
          <input name="code" value={f.code} onInput={set('code')} pattern="[a-z0-9_-]{1,30}" />
        </Field>
        <Field label="Type">
          <select name="node_type" value={f.node_type} onChange={set('node_type')}>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Base URL">
          <input name="base_url" required value={f.base_url} onInput={set('base_url')} placeholder="http://10.0.0.12:8000/v1" />
        </Field>
        <Field label="API key" hint={n?.has_api_key ? 'set; leave empty to keep it' : 'optional'}>
          <input name="api_key" type="password" autocomplete="off" value={f.api_key} onInput={set('api_key')} />
        </Field>
        <Field label="Priority" hint="higher is tried first">
          <input name="priority" type="number" value={f.priority} onInput={set('priority')} />
        </Field>
        <Field label="Weight">
          <input name="weight" type="number" min="0" value={f.weight} onInput={set('weight')} />
        </Field>
      </div>
      <ErrorBox message={a.error} />
      <div class="actions">
        <button disabled={a.busy}>{n ? 'Save' : 'Add node'}</button>
        {props.onCancel && (
          <button type="button" class="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function NodeCards(props: { nodes: Node[]; reload: () => void }) {
  const [order, setOrder] = useState<Node[]>(props.nodes);
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const a = useAction();
  useEffect(() => setOrder(props.nodes), [props.nodes]);

  const persist = (next: Node[]) =>
    a.run(async () => {
      const wanted = prioritiesFor(next);
      const changed = wanted.filter((w) => next.find((n) => n.id === w.id)?.priority !== w.priority);
      setOrder(next);
      if (changed.length === 0) return;
      await api.patch('/admin/nodes/batch/priority', { priorities: wanted });
      setNote('Priority order saved');
      setTimeout(() => setNote(null), 3000);
      props.reload();
    });

  const move = (from: number, to: number) => {
    if (from === to || to < 0 || to >= order.length) return;
    const next = [...order];
    const [m] = next.splice(from, 1);
    next.splice(to, 0, m);
    persist(next);
  };

  const nodeAction = (fn: () => Promise<unknown>, done?: string) =>
    a.run(async () => {
      await fn();
      if (done) setNote(done);
      props.reload();
    });

  if (order.length === 0) return <Empty>No nodes yet: add one below.</Empty>;
  return (
    <>
      <p class="muted">Drag the cards (or use ↑ ↓) to set the fallback order: the first card is tried first.</p>
      {note && (
        <div class="note" role="status">
          {note}
        </div>
      )}
      <ErrorBox message={a.error} />
      <ol class="node-cards" data-testid="node-cards">
        {order.map((n, i) => (
          <li
            key={n.id}
            class={'node-card' + (dragging === i ? ' dragging' : '') + (over === i ? ' over' : '') + (n.is_active ? '' : ' inactive')}
            draggable
            data-node={n.name}
            onDragStart={(e) => {
              setDragging(i);
              e.dataTransfer?.setData('text/plain', String(i));
              if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
            }}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(i);
            }}
            onDragLeave={() => setOver(null)}
            onDrop={(e) => {
              e.preventDefault();
              const from = Number(e.dataTransfer?.getData('text/plain') ?? dragging);
              setDragging(null);
              setOver(null);
              if (!Number.isNaN(from)) move(from, i);
            }}
            onDragEnd={() => {
              setDragging(null);
              setOver(null);
            }}
          >
            <div class="node-head">
              <span class="grip" aria-hidden="true">
                ⠿
              </span>
              <strong>{n.name}</strong>
              {n.code && <code>{n.code}</code>}
              <Badge>{n.node_type}</Badge>
              {health(n.health_status)}
              {!n.is_active && <Badge kind="muted">disabled</Badge>}
              <span class="spacer" />
              <span class="muted" data-testid="priority">
                priority {n.priority}
              </span>
              <button type="button" class="icon" title="Move up" aria-label={`Move ${n.name} up`} onClick={() => move(i, i - 1)} disabled={i === 0}>
                ↑
              </button>
              <button
                type="button"
                class="icon"
                title="Move down"
                aria-label={`Move ${n.name} down`}
                onClick={() => move(i, i + 1)}
                disabled={i === order.length - 1}
              >
                ↓
              </button>
            </div>
            <div class="node-body">
              <span>{n.base_url}</span>
              <span class="muted">
                weight {n.weight} · key {n.has_api_key ? 'set' : 'none'}
                {n.header_names?.length ? ' · headers ' + n.header_names.join(', ') : ''}
                {n.last_health_check ? ' · checked ' + fmtTime(n.last_health_check) : ''}
              </span>
              {n.last_error && <span class="error-text">{n.last_error}</span>}
            </div>
            <div class="row-actions">
              <button type="button" class="secondary" onClick={() => nodeAction(() => api.patch(`/admin/nodes/${n.id}/toggle`))}>
                {n.is_active ? 'Disable' : 'Enable'}
              </button>
              <button type="button" class="secondary" onClick={() => setEditing(editing === n.id ? null : n.id)}>
                Edit
              </button>
              <button
                type="button"
                class="secondary"
                onClick={() => nodeAction(() => api.get(`/admin/nodes/${n.id}/health`), `Health of ${n.name} checked`)}
              >
                Check health
              </button>
              <button
                type="button"
                class="secondary"
                onClick={() => nodeAction(() => api.post(`/admin/nodes/${n.id}/discover`), `Models of ${n.name} discovered`)}
              >
                Discover models
              </button>
              <button
                type="button"
                class="danger"
                onClick={() => confirm(`Delete node ${n.name}?`) && nodeAction(() => api.del(`/admin/nodes/${n.id}`))}
              >
                Delete
              </button>
            </div>
            {editing === n.id && (
              <NodeForm
                node={n}
                onDone={() => {
                  setEditing(null);
                  props.reload();
                }}
                onCancel={() => setEditing(null)}
              />
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

export function Nodes() {
  const l = useLoad(() => api.get<Node[]>('/admin/nodes'));
  const [adding, setAdding] = useState(false);
  return (
    <Page
      title="Nodes"
      subtitle="Upstream servers, in fallback order"
      actions={
        <button type="button" onClick={() => setAdding(!adding)}>
          {adding ? 'Close' : 'Add node'}
        </button>
      }
    >
      {adding && (
        <NodeForm
          onDone={() => {
            setAdding(false);
            l.reload();
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      <Loaded load={l} what="nodes" render={(nodes) => <NodeCards nodes={nodes} reload={l.reload} />} />
    </Page>
  );
}
