import { useState } from 'preact/hooks';
import { api, asList, query } from '../api';
import { Empty, Field, Loaded, Page, fmtTime, useLoad } from '../ui';

interface AuditRow {
  id: number;
  action: string;
  entity_type: string;
  entity_id: string | null;
  performed_by: string;
  admin_ip?: string | null;
  details: unknown;
  created_at: string;
}
interface AuditPage {
  logs: AuditRow[];
  total: number;
  limit: number;
  offset: number;
}

const PAGE = 50;
const EMPTY = { action: '', entity_type: '', performed_by: '' };

export function AuditLogs() {
  const [draft, setDraft] = useState(EMPTY);
  const [filters, setFilters] = useState(EMPTY);
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<number | null>(null);
  const l = useLoad(async () => {
    const data = await api.get<AuditPage>('/admin/audit-logs' + query({ ...filters, limit: PAGE, offset }));
    return { ...data, logs: asList<AuditRow>(data, 'logs') };
  }, [JSON.stringify(filters), offset]);
  const set = (k: keyof typeof EMPTY) => (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <Page title="Audit logs" subtitle="Every admin action: who, what, when, before and after">
      <form
        class="inline-form card filters"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setFilters(draft);
        }}
      >
        <Field label="Action">
          <input value={draft.action} onInput={set('action')} placeholder="create_user" />
        </Field>
        <Field label="Entity type">
          <input value={draft.entity_type} onInput={set('entity_type')} placeholder="node" />
        </Field>
        <Field label="Performed by">
          <input value={draft.performed_by} onInput={set('performed_by')} />
        </Field>
        <button>Filter</button>
      </form>
      <Loaded
        load={l}
        what="audit logs"
        render={(page) =>
          page.logs.length === 0 ? (
            <Empty>No audit entries match.</Empty>
          ) : (
            <>
              <p class="muted">
                {page.offset + 1}–{page.offset + page.logs.length} of {page.total}
              </p>
              <table class="table" data-testid="audit-table">
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>Action</th>
                    <th>Entity</th>
                    <th>By</th>
                    <th>From</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {page.logs.map((r) => [
                    <tr key={r.id}>
                      <td>{fmtTime(r.created_at)}</td>
                      <td>
                        <code>{r.action}</code>
                      </td>
                      <td>
                        {r.entity_type}
                        {r.entity_id ? ' #' + r.entity_id : ''}
                      </td>
                      <td>{r.performed_by}</td>
                      <td>{r.admin_ip ?? '–'}</td>
                      <td>
                        <button type="button" class="link" onClick={() => setOpen(open === r.id ? null : r.id)}>
                          {open === r.id ? 'hide' : 'details'}
                        </button>
                      </td>
                    </tr>,
                    open === r.id ? (
                      <tr key={r.id + '-d'}>
                        <td colSpan={6}>
                          <pre class="json">{JSON.stringify(r.details, null, 2)}</pre>
                        </td>
                      </tr>
                    ) : null,
                  ])}
                </tbody>
              </table>
              <div class="pager">
                <button type="button" class="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                  Newer
                </button>
                <button
                  type="button"
                  class="secondary"
                  disabled={page.offset + page.logs.length >= page.total}
                  onClick={() => setOffset(offset + PAGE)}
                >
                  Older
                </button>
              </div>
            </>
          )
        }
      />
    </Page>
  );
}
