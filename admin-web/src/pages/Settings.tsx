import { useState } from 'preact/hooks';
import { api, asList } from '../api';
import { Badge, Empty, ErrorBox, Loaded, Page, fmtTime, useAction, useLoad } from '../ui';

interface Setting {
  key: string;
  type: string;
  value: unknown;
  default_value?: unknown;
  is_default?: boolean;
  description?: string;
  constraints?: Record<string, unknown>;
  updated_at?: string | null;
}

function parse(type: string, raw: string): unknown {
  const t = type.toLowerCase();
  if (t === 'boolean' || t === 'bool') return raw === 'true';
  if (['integer', 'int', 'long', 'number', 'double', 'float'].includes(t)) return raw.trim() === '' ? null : Number(raw);
  if (t === 'list' || t === 'array' || t === 'json' || t === 'object') {
    try {
      return JSON.parse(raw);
    } catch {
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    }
  }
  return raw;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

export function Settings() {
  const l = useLoad(async () => asList<Setting>(await api.get<unknown>('/admin/settings'), 'settings'));
  const [edits, setEdits] = useState<Record<string, string>>({});
  const a = useAction();
  const [saved, setSaved] = useState(false);
  return (
    <Page title="Settings" subtitle="System-wide runtime settings (changes apply without a restart)">
      <Loaded
        load={l}
        what="runtime settings"
        render={(settings) =>
          settings.length === 0 ? (
            <Empty>No settings.</Empty>
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                a.run(async () => {
                  const body: Record<string, unknown> = {};
                  for (const s of settings) if (s.key in edits) body[s.key] = parse(s.type, edits[s.key]);
                  if (Object.keys(body).length === 0) return;
                  await api.put('/admin/settings', body);
                  setEdits({});
                  setSaved(true);
                  setTimeout(() => setSaved(false), 3000);
                  l.reload();
                });
              }}
            >
              <table class="table">
                <thead>
                  <tr>
                    <th>Setting</th>
                    <th>Value</th>
                    <th>Default</th>
                    <th>Updated</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {settings.map((s) => {
                    const value = s.key in edits ? edits[s.key] : show(s.value);
                    const isBool = s.type.toLowerCase().startsWith('bool');
                    return (
                      <tr key={s.key}>
                        <td>
                          <code>{s.key}</code>
                          <br />
                          <small class="muted">{s.description}</small>
                        </td>
                        <td>
                          {isBool ? (
                            <select value={value} onChange={(e) => setEdits({ ...edits, [s.key]: e.currentTarget.value })}>
                              <option value="true">true</option>
                              <option value="false">false</option>
                            </select>
                          ) : (
                            <input value={value} onInput={(e) => setEdits({ ...edits, [s.key]: e.currentTarget.value })} />
                          )}
                        </td>
                        <td>
                          <small>{show(s.default_value)}</small> {s.is_default === false && <Badge kind="warn">changed</Badge>}
                        </td>
                        <td>{fmtTime(s.updated_at)}</td>
                        <td>
                          {s.is_default === false && (
                            <button
                              type="button"
                              class="link"
                              onClick={() => a.run(async () => void (await api.put('/admin/settings', { [s.key]: null }), l.reload()))}
                            >
                              reset
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <ErrorBox message={a.error} />
              {saved && <div class="note">Saved</div>}
              <button disabled={a.busy || Object.keys(edits).length === 0}>Save changes</button>
            </form>
          )
        }
      />
    </Page>
  );
}
