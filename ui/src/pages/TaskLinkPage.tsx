/**
 * The page an outside participant opens from their e-mail: `/link#<token>`. The token sits in the URL
 * fragment, which the browser never sends to the server, and is only passed to the public API. It shows
 * that one task (title, description, its form, its outcomes) and nothing else; a used, revoked or expired
 * link shows a page that says so and offers nothing. No session, no navigation to the back office.
 */
import { useEffect, useState } from 'react';
import { api, asApiError, type ApiError } from '../api/client';
import type { LinkTask, Problem } from '../api/types';
import { SchemaForm } from '../components/SchemaForm';
import { ErrorMessage, Loading } from '../components/States';
import { usePageTitle } from '../hooks/usePageTitle';

const DEAD_LINKS: Record<string, string> = {
  link_used: 'This link was already used: the task is done. Thank you.',
  link_revoked: 'This link was revoked. Ask whoever sent it for a new one.',
  link_expired: 'This link has expired. Ask whoever sent it for a new one.',
  task_closed: 'This task is already closed: there is nothing left to do here.',
  link_not_found: 'This link is not valid. Check that you opened the whole address from the e-mail.',
};

export function TaskLinkPage() {
  const token = window.location.hash.slice(1);
  const [task, setTask] = useState<LinkTask>();
  const [dead, setDead] = useState<string>();
  const [loadError, setLoadError] = useState<ApiError>();
  const [done, setDone] = useState(false);
  usePageTitle(task?.title ?? 'Task');

  useEffect(() => {
    if (!token) return setDead('link_not_found');
    api.linkTask(token).then(setTask, (err: unknown) => {
      const e = asApiError(err);
      if (e.code in DEAD_LINKS) setDead(e.code);
      else setLoadError(e);
    });
  }, [token]);

  if (done) return <LinkShell><p className="notice" role="status">Thank you: your answer was recorded. You can close this page.</p></LinkShell>;
  if (dead) return <LinkShell><p className="notice" role="alert" data-code={dead}>{DEAD_LINKS[dead]}</p></LinkShell>;
  if (loadError) return <LinkShell><ErrorMessage error={loadError} title="The task could not be loaded" /></LinkShell>;
  if (!task) return <LinkShell><Loading what="the task" /></LinkShell>;
  return (
    <LinkShell>
      <LinkTaskForm token={token} task={task} onDone={() => setDone(true)} onDead={setDead} />
    </LinkShell>
  );
}

function LinkShell({ children }: { children: React.ReactNode }) {
  return <main className="link-page">{children}</main>;
}

function LinkTaskForm({ token, task, onDone, onDead }: { token: string; task: LinkTask; onDone(): void; onDead(code: string): void }) {
  const [data, setData] = useState<Record<string, unknown>>({});
  const [outcome, setOutcome] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [problems, setProblems] = useState<Problem[]>([]);

  async function complete(value: Record<string, unknown>) {
    if (!outcome) return setError(asApiError(new Error('Choose an answer.')));
    setBusy(true);
    setError(undefined);
    setProblems([]);
    try {
      await api.completeLinkTask(token, outcome, value);
      onDone();
    } catch (err) {
      const e = asApiError(err);
      if (e.code in DEAD_LINKS) return onDead(e.code);
      setProblems(e.problems);
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="card">
      <h1>{task.title}</h1>
      {task.description && <p>{task.description}</p>}
      {error && <ErrorMessage error={error} title={error.status === 422 ? 'The answer was not accepted' : 'The answer could not be sent'} />}
      <SchemaForm id="link-task" schema={task.form ?? { type: 'object', properties: {} }} value={data} onChange={setData} onSubmit={(v) => void complete(v)} problems={problems} disabled={busy}>
        <fieldset className="outcomes">
          <legend>Your answer</legend>
          {task.outcomes.map((o) => (
            <label key={o.name} className="inline">
              <input type="radio" name="outcome" value={o.name} checked={outcome === o.name} onChange={() => setOutcome(o.name)} /> {o.label}
            </label>
          ))}
        </fieldset>
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send'}
          </button>
        </div>
      </SchemaForm>
      <p className="muted small">
        This link works once and until <time dateTime={task.expiresAt}>{new Date(task.expiresAt).toLocaleString()}</time>.
      </p>
    </div>
  );
}
