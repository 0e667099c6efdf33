import { useState } from 'preact/hooks';
import { api, query, type LogPage } from '../api';
import { Badge, Empty, Field, Loaded, Page, fmtNum, fmtTime, useLoad } from '../ui';

const PAGE = 50;
const EMPTY = { user: '', model: '', source: '', status: '', from: '', to: '', request_id: '' };

export function Requests() {
  const [draft, setDraft] = useState(EMPTY);
  const [filters, setFilters] = useState(EMPTY);
  const [offset, setOffset] = useState(0);
  const l = useLoad(
    () => api.get<LogPage>('/admin/requests' + query({ ...filters, limit: PAGE, offset })),
    [JSON.stringify(filters), offset],
  );
  const set = (k: keyof typeof EMPTY) => (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <Page
      title="Request logs"
      subtitle="Every request the gateway accepted or refused, newest first"
      actions={
        <button type="button" class="secondary" onClick={l.reload}>
          Refresh
        </button>
      }
    >
      <form
        class="inline-form card filters"
        data-testid="request-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setFilters(draft);
        }}
      >
        <Field label="User">
          <input name="user" value={draft.user} onInput={set('user')} />
        </Field>
        <Field label="Model">
          <input name="model" value={draft.model} onInput={set('model')} />
        </Field>
        <Field label="Source">
          <input name="source" value={draft.source} onInput={set('source')} placeholder="cursor, claude-code…" />
        </Field>
        <Field label="Status">
          <select name="status" value={draft.status} onChange={set('status')}>
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
            <option value="429">429</option>
            <option value="401">401</option>
          </select>
        </Field>
        <Field label="From">
          <input name="from" type="date" value={draft.from} onInput={set('from')} />
        </Field>
        <Field label="To">
          <input name="to" type="date" value={draft.to} onInput={set('to')} />
        </Field>
        <Field label="Request id">
          <input name="request_id" value={draft.request_id} onInput={set('request_id')} placeholder="x-request-id" size={36} />
        </Field>
        <button>Filter</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setDraft(EMPTY);
            setFilters(EMPTY);
            setOffset(0);
          }}
        >
          Clear
        </button>
      </form>
      <Loaded
        load={l}
        what="the request log"
        render={(page) =>
          page.requests.length === 0 ? (
            <Empty>No requests match.</Empty>
          ) : (
            <>
              <p class="muted">
                {page.offset + 1}–{page.offset + page.requests.length} of {page.total}
              </p>
              <div class="scroll">
                <table class="table" data-testid="requests-table">
                  <thead>
                    <tr>
                      <th>Time</th>
                      <th>User</th>
                      <th>Model</th>
                      <th>Node</th>
                      <th>Endpoint</th>
                      <th>Source</th>
                      <th>Status</th>
                      <th>Tokens (in/out)</th>
                      <th>Latency</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.requests.map((r) => (
                      <tr key={r.request_id} data-request={r.request_id} title={r.error_message ?? ''}>
                        <td>{fmtTime(r.created_at)}</td>
                        <td>{r.username ?? '–'}</td>
                        <td>{r.model_name}</td>
                        <td>{r.node_name ?? '–'}</td>
                        <td>
                          <code>{r.url_path ?? r.request_type}</code>
                          {r.streamed && <Badge kind="muted">stream</Badge>}
                        </td>
                        <td>{r.source ?? '–'}</td>
                        <td>
                          <Badge kind={r.status_code < 400 ? 'ok' : r.status_code === 499 ? 'warn' : 'bad'}>{r.status_code}</Badge>
                        </td>
                        <td>
                          {fmtNum(r.prompt_tokens)} / {fmtNum(r.completion_tokens)}
                        </td>
                        <td>
                          {r.duration_ms} ms{r.ttft_ms !== null ? ` (first ${r.ttft_ms} ms)` : ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div class="pager">
                <button type="button" class="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                  Newer
                </button>
                <button
                  type="button"
                  class="secondary"
                  disabled={page.offset + page.requests.length >= page.total}
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
