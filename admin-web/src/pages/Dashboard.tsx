import { api, asList, type Node, type UsageRow, type User } from '../api';
import { BarChart, LineChart } from '../charts';
import { Loaded, Page, fmtNum, health, useLoad } from '../ui';

interface Counts {
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}
interface DayRow extends Counts {
  day: string;
}
interface KeyRow extends Counts {
  key: string;
}
/** What the dashboard shows, from GET /admin/dashboard/stats or, on servers without it, from the older routes. */
interface View {
  users: { total: number; active: number };
  nodes: { total: number; enabled: number; healthy: number; unhealthy: number; unknown: number };
  models: { mappings: number; available?: number };
  today?: Counts;
  period?: Counts;
  byDay: DayRow[];
  byModel: KeyRow[];
  byUser: KeyRow[];
  nodeList: Node[];
  source: 'stats' | 'fallback';
}

function lastDays(n: number): string[] {
  const out: string[] = [];
  const now = new Date();
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - i));
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

async function load(days: number): Promise<View> {
  const nodeList = await api.get<Node[]>('/admin/nodes');
  try {
    const s = await api.get<Record<string, any>>(`/admin/dashboard/stats?days=${days}`);
    return {
      users: s.users ?? { total: 0, active: 0 },
      nodes: s.nodes ?? { total: nodeList.length, enabled: 0, healthy: 0, unhealthy: 0, unknown: 0 },
      models: s.models ?? { mappings: 0 },
      today: s.today,
      period: s.period,
      byDay: asList<DayRow>(s.by_day),
      byModel: asList<KeyRow>(s.by_model),
      byUser: asList<KeyRow>(s.by_user),
      nodeList,
      source: 'stats',
    };
  } catch (e: any) {
    if (!(e?.unavailable)) throw e;
  }
  // Older gateways: the same picture from /admin/usage, /admin/users, /admin/model-mappings.
  const from = lastDays(days)[0];
  const [users, mappings, byDay, byModel, byUser] = await Promise.all([
    api.get<User[]>('/admin/users'),
    api.get<unknown[]>('/admin/model-mappings'),
    api.get<{ rows: UsageRow[] }>(`/admin/usage?group_by=day&from=${from}`),
    api.get<{ rows: UsageRow[] }>(`/admin/usage?group_by=model&from=${from}`),
    api.get<{ rows: UsageRow[] }>(`/admin/usage?group_by=user&from=${from}`),
  ]);
  const count = (st: string) => nodeList.filter((n) => (n.health_status ?? 'unknown') === st).length;
  const sum = (rows: UsageRow[]): Counts =>
    rows.reduce(
      (a, r) => ({
        requests: a.requests + r.requests,
        errors: a.errors + r.errors,
        prompt_tokens: a.prompt_tokens + r.prompt_tokens,
        completion_tokens: a.completion_tokens + r.completion_tokens,
        total_tokens: a.total_tokens + r.total_tokens,
      }),
      { requests: 0, errors: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    );
  const today = new Date().toISOString().slice(0, 10);
  return {
    users: { total: users.length, active: users.filter((u) => u.is_active).length },
    nodes: {
      total: nodeList.length,
      enabled: nodeList.filter((n) => n.is_active).length,
      healthy: count('healthy'),
      unhealthy: count('unhealthy'),
      unknown: count('unknown'),
    },
    models: { mappings: asList(mappings, 'mappings').length },
    today: sum(byDay.rows.filter((r) => r.key.startsWith(today))),
    period: sum(byDay.rows),
    byDay: byDay.rows.map((r) => ({ ...r, day: r.key.slice(0, 10) })),
    byModel: byModel.rows,
    byUser: byUser.rows,
    nodeList,
    source: 'fallback',
  };
}

function Stat(props: { label: string; value: string; sub?: string }) {
  return (
    <div class="stat">
      <span class="muted">{props.label}</span>
      <strong>{props.value}</strong>
      {props.sub && <small class="muted">{props.sub}</small>}
    </div>
  );
}

export function Dashboard() {
  const days = 14;
  const l = useLoad(() => load(days));
  return (
    <Page title="Dashboard" subtitle={`Node health, models, users and traffic over the last ${days} days`}>
      <Loaded
        load={l}
        what="dashboard statistics"
        render={(v) => {
          const labels = lastDays(days);
          const byDay = new Map(v.byDay.map((d) => [d.day.slice(0, 10), d]));
          const req = labels.map((d) => byDay.get(d)?.requests ?? 0);
          const err = labels.map((d) => byDay.get(d)?.errors ?? 0);
          const prompt = labels.map((d) => byDay.get(d)?.prompt_tokens ?? 0);
          const completion = labels.map((d) => byDay.get(d)?.completion_tokens ?? 0);
          const short = labels.map((d) => d.slice(5));
          return (
            <>
              <div class="stats">
                <Stat label="Requests today" value={fmtNum(v.today?.requests)} sub={`${fmtNum(v.today?.errors)} errors`} />
                <Stat label="Tokens today" value={fmtNum(v.today?.total_tokens)} />
                <Stat label={`Requests, ${days} days`} value={fmtNum(v.period?.requests)} sub={`${fmtNum(v.period?.total_tokens)} tokens`} />
                <Stat label="Users" value={String(v.users.total)} sub={`${v.users.active} active`} />
                <Stat
                  label="Nodes"
                  value={String(v.nodes.total)}
                  sub={`${v.nodes.healthy} healthy · ${v.nodes.unhealthy} unhealthy · ${v.nodes.unknown} unknown`}
                />
                <Stat
                  label="Model mappings"
                  value={String(v.models.mappings)}
                  sub={v.models.available !== undefined ? `${v.models.available} models available` : undefined}
                />
              </div>
              <div class="grid2">
                <LineChart
                  title="Requests per day"
                  labels={short}
                  series={[
                    { name: 'requests', color: '#4f6bed', values: req },
                    { name: 'errors', color: '#d9534f', values: err },
                  ]}
                />
                <LineChart
                  title="Tokens per day"
                  labels={short}
                  series={[
                    { name: 'prompt', color: '#2a9d8f', values: prompt },
                    { name: 'completion', color: '#e9a23b', values: completion },
                  ]}
                />
                <BarChart
                  title="Tokens by model"
                  color="#2a9d8f"
                  rows={v.byModel.map((r) => ({ label: r.key, value: r.total_tokens }))}
                />
                <BarChart title="Requests by user" rows={v.byUser.map((r) => ({ label: r.key, value: r.requests }))} />
              </div>
              <h2>Nodes</h2>
              <table class="table">
                <thead>
                  <tr>
                    <th>Node</th>
                    <th>Type</th>
                    <th>Priority</th>
                    <th>Active</th>
                    <th>Health</th>
                  </tr>
                </thead>
                <tbody>
                  {v.nodeList.map((n) => (
                    <tr key={n.id}>
                      <td>
                        {n.name} {n.code && <code>{n.code}</code>}
                      </td>
                      <td>{n.node_type}</td>
                      <td>{n.priority}</td>
                      <td>{n.is_active ? 'yes' : 'no'}</td>
                      <td>{health(n.health_status)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      />
    </Page>
  );
}
