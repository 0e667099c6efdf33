import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';

export type Load<T> =
  | { state: 'loading'; reload: () => void }
  | { state: 'ok'; data: T; reload: () => void }
  | { state: 'unavailable'; reload: () => void }
  | { state: 'error'; error: string; reload: () => void };

/** Loads data for a page; a 404/405 from the API means the route is not on this server. */
export function useLoad<T>(fetcher: () => Promise<T>, deps: unknown[] = []): Load<T> {
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const [result, setResult] = useState<Load<T>>({ state: 'loading', reload });
  useEffect(() => {
    let live = true;
    fetcher().then(
      (data) => live && setResult({ state: 'ok', data, reload }),
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.unavailable) setResult({ state: 'unavailable', reload });
        else setResult({ state: 'error', error: e instanceof Error ? e.message : String(e), reload });
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tick, ...deps]);
  return result;
}

export function Page(props: { title: string; subtitle?: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="page" data-page={props.title}>
      <header class="page-head">
        <div>
          <h1>{props.title}</h1>
          {props.subtitle && <p class="muted">{props.subtitle}</p>}
        </div>
        <div class="actions">{props.actions}</div>
      </header>
      {props.children}
    </section>
  );
}

export function Unavailable(props: { what: string }) {
  return (
    <div class="unavailable" role="status" data-testid="unavailable">
      <strong>Not available on this server.</strong>
      <p>
        This gateway has no API for {props.what} (it answered 404). It arrives with a newer build; everything else
        keeps working.
      </p>
    </div>
  );
}

export function Loading() {
  return <p class="muted" aria-busy="true">Loading…</p>;
}

export function ErrorBox(props: { message: string | null | undefined }) {
  if (!props.message) return null;
  return (
    <div class="error" role="alert">
      {props.message}
    </div>
  );
}

/** Renders the common states of a {@link Load}; calls {@code render} with the data. */
export function Loaded<T>(props: { load: Load<T>; what: string; render: (data: T) => ComponentChildren }) {
  const l = props.load;
  if (l.state === 'loading') return <Loading />;
  if (l.state === 'unavailable') return <Unavailable what={props.what} />;
  if (l.state === 'error') return <ErrorBox message={l.error} />;
  return <>{props.render(l.data)}</>;
}

export function Badge(props: { kind?: 'ok' | 'bad' | 'warn' | 'info' | 'muted'; children: ComponentChildren }) {
  return <span class={'badge ' + (props.kind ?? 'info')}>{props.children}</span>;
}

export function health(status: string | null | undefined) {
  const s = (status ?? 'unknown').toLowerCase();
  const kind = s === 'healthy' ? 'ok' : s === 'unhealthy' ? 'bad' : 'muted';
  return <Badge kind={kind}>{s}</Badge>;
}

export function fmtNum(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  if (Math.abs(n) >= 1e9) return (n / 1e9).toFixed(1) + 'B';
  if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(1) + 'M';
  if (Math.abs(n) >= 1e4) return (n / 1e3).toFixed(1) + 'k';
  return String(n);
}

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Copies text; falls back to selecting it when the clipboard is not allowed. */
export function CopyButton(props: { text: string; label?: string; target?: string }) {
  const [done, setDone] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setDone('Copied');
    } catch {
      const el = props.target ? document.getElementById(props.target) : null;
      if (el) {
        const range = document.createRange();
        range.selectNodeContents(el);
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
      }
      setDone('Selected: press Ctrl+C');
    }
    setTimeout(() => setDone(null), 2500);
  };
  return (
    <button type="button" class="secondary" onClick={copy}>
      {done ?? props.label ?? 'Copy'}
    </button>
  );
}

export function Field(props: { label: string; hint?: string; children: ComponentChildren }) {
  return (
    <label class="field">
      <span>{props.label}</span>
      {props.children}
      {props.hint && <small class="muted">{props.hint}</small>}
    </label>
  );
}

/** Runs an async action with a busy flag and an error message. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      if (e instanceof ApiError && e.unavailable && e.message.startsWith('No such endpoint')) {
        setError('Not available on this server (the gateway has no such route).');
      } else {
        setError(e instanceof Error ? e.message : String(e));
      }
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="empty muted">{props.children}</p>;
}
