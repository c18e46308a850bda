/**
 * One task: what it asks (title, description, due date), the instance it belongs to (variables,
 * documents, history), and the completion form: an outcome plus the task's JSON-Schema form.
 * What the user types is kept as a draft until the task is completed, so an expired session or a
 * reload loses nothing.
 */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { stepsById } from '../../../workflows/definition';
import { taskActionRefusal } from '../../../workflows/policy';
import { api, asApiError, type ApiError } from '../api/client';
import type { NextTask, ProcessDetail, Problem, Task, TaskCompleted, UserTaskStep } from '../api/types';
import { Badge } from '../components/Badge';
import { DocumentById } from '../components/DocumentLink';
import { JsonView } from '../components/JsonView';
import { SchemaForm } from '../components/SchemaForm';
import { Empty, ErrorMessage, Loading, ResourceGate } from '../components/States';
import { Age, DateTime, Due } from '../components/Time';
import { TimelineCard } from '../components/Timeline';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource, type Resource } from '../hooks/useResource';
import { documentIdsByKind, findDocuments, findInvoices, verdictsByKind, type DocumentFormContext } from '../lib/documents';
import type { ProcessDefinition } from '../../../workflows/model';
import { useDraft } from '../session/useDraft';
import { useSession } from '../session/SessionProvider';
import { TicketThread } from '../components/TicketThread';
import { SUPPORT_TICKET } from '../../../domain/tickets';

const INSTANCE_REFRESH_MS = 10_000;

interface Instance {
  process: ProcessDetail;
  /** From the definition: the step's description and the outcomes' labels; the task page works without them. */
  step?: UserTaskStep;
  /** The definition the process runs (its document kinds, and where its forms keep document ids). */
  definition?: ProcessDefinition;
}

/** The task's process, and its definition and step (fetched once: a process keeps its definition version). */
async function loadInstance(processId: string, stepId: string, previous: Instance | undefined): Promise<Instance> {
  const process = await api.process(processId);
  if (previous?.definition) return { ...previous, process };
  const definition = (await api.definitionVersion(process.definitionId, process.version).catch(() => undefined))?.definition;
  const step = definition ? stepsById(definition.steps)[stepId] : undefined;
  return { process, definition, step: step?.type === 'userTask' ? step : undefined };
}

/** What the form's document and verdict fields need: the kinds declared, and the documents the instance holds. */
function documentContext(instance: Instance | undefined): DocumentFormContext {
  if (!instance?.definition) return {};
  const { definition, process } = instance;
  return { documentKinds: definition.documents, documentIds: documentIdsByKind(definition, process.variables), verdicts: verdictsByKind(definition, process.variables) };
}

/**
 * A task opened again (sent back by a later step) starts from the answer given on its last visit,
 * which the step's `output` variable keeps: the documents already accepted need not be sent again.
 */
function lastAnswer(instance: Instance | undefined): Record<string, unknown> {
  const output = instance?.step?.output;
  const kept = output ? (instance.process.variables[output] as { data?: unknown } | undefined)?.data : undefined;
  return kept && typeof kept === 'object' && !Array.isArray(kept) ? structuredClone(kept as Record<string, unknown>) : {};
}

export function TaskPage() {
  const { id = '' } = useParams();
  const { user } = useSession();
  const taskResource = useResource(() => api.task(id), [id]);
  const t = taskResource.data;
  // One request for the process, shared by the form (its step) and the side column (variables, documents), refreshed there.
  const instance = useResource<Instance | undefined>(
    (previous) => (t ? loadInstance(t.processId, t.stepId, previous) : Promise.resolve(undefined)),
    [t?.processId, t?.stepId],
    INSTANCE_REFRESH_MS,
  );
  /** Someone else completed the task while this user was filling it in. */
  const [lostRace, setLostRace] = useState(false);
  /** What the completion's answer says comes next for this user. */
  const [next, setNext] = useState<NextTask[]>([]);
  usePageTitle(t ? t.title : 'Task');
  const reload = () => Promise.all([taskResource.reload(), instance.reload()]).then(() => undefined);

  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/inbox">Inbox</Link> › Task
      </p>
      <ResourceGate resource={taskResource} what="the task" failed="The task could not be loaded" notFound="This task does not exist" stale="state of the task">
        {(task) =>
          instance.loading ? (
            <Loading what="the task" />
          ) : (
            <div className="columns">
              <div className="column-main">
                <TaskHeader task={task} step={instance.data?.step} />
                {task.status === 'open' && !lostRace ? (
                  <CompleteTask
                    task={task}
                    step={instance.data?.step}
                    documents={documentContext(instance.data)}
                    lastAnswer={lastAnswer(instance.data)}
                    onChanged={reload}
                    onCompleted={(answer) => setNext(nextFor(answer, user))}
                    onLostRace={() => {
                      setLostRace(true);
                      void reload();
                    }}
                  />
                ) : (
                  <ClosedTask task={task} lostRace={lostRace} next={next} />
                )}
              </div>
              <aside className="column-side" aria-label="The process">
                {task.definitionId === SUPPORT_TICKET && <TicketThread processId={task.processId} />}
                <InstanceContext processId={task.processId} instance={instance} />
              </aside>
            </div>
          )
        }
      </ResourceGate>
    </section>
  );
}

function TaskHeader({ task, step }: { task: Task; step?: UserTaskStep }) {
  return (
    <header className="card">
      <h1>{task.title}</h1>
      {step?.description && <p>{step.description}</p>}
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <Badge value={task.status} /> {task.overdue && <Badge value="overdue" />}
          </dd>
        </div>
        <div>
          <dt>Process</dt>
          <dd>
            <Link to={`/processes/${task.processId}`}>
              {task.definitionId} · {task.businessKey}
            </Link>
          </dd>
        </div>
        <div>
          <dt>Opened</dt>
          <dd>
            <Age since={task.createdAt} /> ago
          </dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd>{task.status === 'open' ? <Due at={task.dueAt} overdue={task.overdue} /> : <DateTime at={task.dueAt} />}</dd>
        </div>
        <div>
          <dt>For roles</dt>
          <dd>{task.candidateRoles.join(', ')}</dd>
        </div>
        <div>
          <dt>Claimed by</dt>
          <dd>{task.assignee ?? <span className="muted">nobody</span>}</dd>
        </div>
      </dl>
    </header>
  );
}

/** The answer's open tasks this user may act on now, by the one task rule the API and the workflow apply. */
function nextFor(answer: TaskCompleted, user: { username: string; roles: string[] } | null | undefined): NextTask[] {
  if (!user || !answer.instance) return [];
  return answer.instance.tasks.filter((t) => taskActionRefusal(user, { ...t, completedBy: null }) === null);
}

function ClosedTask({ task, lostRace, next }: { task: Task; lostRace: boolean; next: NextTask[] }) {
  if (lostRace) {
    return (
      <div className="card state-error already-done" role="alert">
        <h2>This task was already completed</h2>
        <p>
          {task.completedBy ? (
            <>
              <strong>{task.completedBy}</strong> completed it with outcome <strong>{task.outcome}</strong> on <DateTime at={task.completedAt} />
            </>
          ) : (
            'Someone else completed it'
          )}{' '}
          while you were working on it. Your answer was not recorded.
        </p>
        <p>
          <Link to="/inbox">Back to the inbox</Link> · <Link to={`/processes/${task.processId}`}>See the process</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="card notice" role="status">
      <h2>This task is {task.status}</h2>
      {task.status === 'completed' ? (
        <p>
          Completed by <strong>{task.completedBy}</strong> with outcome <strong>{task.outcome}</strong> on <DateTime at={task.completedAt} />.
        </p>
      ) : (
        <p>{task.cancelReason ?? 'The process no longer needs it.'}</p>
      )}
      {task.data && Object.keys(task.data).length > 0 && <JsonView value={task.data} />}
      {next.length > 0 && (
        <p className="next-tasks">
          Next for you:{' '}
          {next.map((t, i) => (
            <span key={t.id}>
              {i > 0 && ' · '}
              <Link to={`/tasks/${encodeURIComponent(t.id)}`}>{t.title}</Link>
            </span>
          ))}
        </p>
      )}
      <p>
        <Link to="/inbox">Back to the inbox</Link>
      </p>
    </div>
  );
}

interface Draft {
  outcome: string;
  data: Record<string, unknown>;
}

interface CompleteTaskProps {
  task: Task;
  step?: UserTaskStep;
  documents: DocumentFormContext;
  /** The form's starting data (a draft of this task wins over it). */
  lastAnswer: Record<string, unknown>;
  onChanged(): Promise<void>;
  onCompleted(answer: TaskCompleted): void;
  onLostRace(): void;
}

function CompleteTask({ task, step, documents, lastAnswer, onChanged, onCompleted, onLostRace }: CompleteTaskProps) {
  const { user } = useSession();
  const [draft, setDraft, discardDraft, restored] = useDraft<Draft>(`task.${task.id}`, () => ({ outcome: '', data: lastAnswer }));
  const [busy, setBusy] = useState<'complete' | 'claim' | 'release'>();
  const [error, setError] = useState<ApiError>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [missingOutcome, setMissingOutcome] = useState(false);

  const claimedByOther = task.assignee !== null && task.assignee !== user?.username;

  async function claim(release: boolean) {
    setBusy(release ? 'release' : 'claim');
    setError(undefined);
    try {
      await (release ? api.releaseTask(task.id) : api.claimTask(task.id));
      await onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(undefined);
    }
  }

  async function complete(data: Record<string, unknown>) {
    if (!draft.outcome) {
      setMissingOutcome(true);
      document.getElementById('outcome-legend')?.focus();
      return;
    }
    setBusy('complete');
    setError(undefined);
    setProblems([]);
    try {
      onCompleted(await api.completeTask(task.id, draft.outcome, data));
      discardDraft();
      await onChanged();
    } catch (err) {
      const e = asApiError(err);
      if (e.status === 409 && e.code === 'TaskNotOpen') {
        discardDraft();
        onLostRace();
        return;
      }
      setProblems(e.problems);
      setError(e);
    } finally {
      setBusy(undefined);
    }
  }

  const outcomes = task.outcomes;
  return (
    <div className="card">
      <h2>Complete the task</h2>
      {restored && <p className="notice small">Your unsent answer was restored.</p>}
      <div className="button-row">
        {task.assignee === user?.username ? (
          <button type="button" onClick={() => void claim(true)} disabled={!!busy}>
            {busy === 'release' ? 'Releasing…' : 'Release (give back to the pool)'}
          </button>
        ) : !task.assignee ? (
          <button type="button" onClick={() => void claim(false)} disabled={!!busy}>
            {busy === 'claim' ? 'Claiming…' : 'Claim (take it so nobody else works on it)'}
          </button>
        ) : null}
      </div>
      {claimedByOther && <p className="notice">{task.assignee} has claimed this task; only they (or an admin) can complete it.</p>}
      {error && error.status !== 401 && (
        <ErrorMessage
          error={error}
          title={
            error.status === 422
              ? 'The answer was not accepted'
              : error.code === 'ClaimedByOther'
                ? 'Someone else has claimed this task'
                : 'The task could not be completed'
          }
        />
      )}
      <SchemaForm
        id="task"
        schema={task.form ?? { type: 'object', properties: {} }}
        value={draft.data}
        onChange={(data) => setDraft({ ...draft, data })}
        onSubmit={(data) => void complete(data)}
        problems={problems}
        disabled={busy === 'complete'}
        documents={documents}
      >
        <fieldset className="outcomes" aria-describedby={missingOutcome ? 'outcome-missing' : undefined}>
          <legend id="outcome-legend" tabIndex={-1}>
            Outcome
          </legend>
          {missingOutcome && !draft.outcome && (
            <p id="outcome-missing" className="field-error" role="alert">
              Choose an outcome.
            </p>
          )}
          {outcomes.map((name) => (
            <label key={name} className="inline">
              <input type="radio" name="outcome" value={name} checked={draft.outcome === name} onChange={() => setDraft({ ...draft, outcome: name })} />{' '}
              {step?.outcomes[name]?.label ?? name}
              {step?.outcomes[name]?.label && <span className="muted"> ({name})</span>}
            </label>
          ))}
        </fieldset>
        <div className="button-row">
          <button type="submit" className="primary" disabled={!!busy}>
            {busy === 'complete' ? 'Completing…' : 'Complete task'}
          </button>
        </div>
      </SchemaForm>
    </div>
  );
}

/** Beside the form: the process's variables, the documents among them, and its latest history. */
function InstanceContext({ processId, instance }: { processId: string; instance: Resource<Instance | undefined> }) {
  const history = useResource(() => api.history(processId), [processId], INSTANCE_REFRESH_MS);
  return (
    <>
      <section className="card">
        <h2>Variables</h2>
        <ResourceGate resource={instance} what="the variables" failed="The process could not be loaded" stale="variables">
          {({ process }) => <JsonView value={process.variables} />}
        </ResourceGate>
      </section>
      <section className="card">
        <h2>Documents</h2>
        {instance.data ? <Documents instance={instance.data} /> : <Empty>Unknown until the process is loaded.</Empty>}
      </section>
      <TimelineCard history={history} title="History" recent={12} />
    </>
  );
}

/**
 * Uploaded documents (by the forms' document fields), the invoices the process issued (their PDF, to
 * print), then links to documents kept elsewhere (URLs in the variables).
 */
function Documents({ instance }: { instance: Instance }) {
  const documents = findDocuments(instance.process.variables);
  const invoices = findInvoices(instance.process.variables);
  const uploaded = Object.entries(instance.definition ? documentIdsByKind(instance.definition, instance.process.variables) : {});
  const [error, setError] = useState<ApiError>();
  if (documents.length === 0 && uploaded.length === 0 && invoices.length === 0) return <Empty>No documents attached yet.</Empty>;
  return (
    <ul className="documents">
      {uploaded.flatMap(([kind, ids]) =>
        ids.map((id) => (
          <li key={id}>
            {instance.definition?.documents?.[kind]?.title ?? kind}: <DocumentById id={id} />
          </li>
        )),
      )}
      {invoices.map((inv) => (
        <li key={inv.invoiceId}>
          <a
            href={`/api/invoices/${encodeURIComponent(inv.invoiceId)}/pdf`}
            onClick={(e) => {
              e.preventDefault();
              setError(undefined);
              api.downloadInvoice(inv.invoiceId, inv.number).catch((err: unknown) => setError(asApiError(err)));
            }}
          >
            Invoice {inv.number} (PDF)
          </a>
        </li>
      ))}
      {error && (
        <li className="field-error" role="alert">
          The invoice could not be downloaded: {error.message}
        </li>
      )}
      {documents.map((d) => (
        <li key={d.path}>
          <a href={d.url} target="_blank" rel="noreferrer noopener">
            {d.name}
          </a>
        </li>
      ))}
    </ul>
  );
}
