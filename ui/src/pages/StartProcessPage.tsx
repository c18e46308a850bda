/**
 * Starts an instance from a definition's start-variables schema, prefilled with the schema's first
 * example. The API checks the variables against the schema; its problems show at their fields.
 */
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, asApiError, type ApiError } from '../api/client';
import type { DefinitionVersion, Problem } from '../api/types';
import { SchemaForm } from '../components/SchemaForm';
import { ErrorMessage, ResourceGate } from '../components/States';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';
import { useDraft } from '../session/useDraft';

export function StartProcessPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const version = params.get('version') ? Number(params.get('version')) : undefined;
  const definition = useResource(() => (version ? api.definitionVersion(id, version) : api.definition(id)), [id, version]);
  usePageTitle(`Start ${id}`);

  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/definitions">Definitions</Link> › <Link to={`/definitions/${id}`}>{id}</Link> › Start
      </p>
      <ResourceGate resource={definition} what="the definition" failed="The definition could not be loaded" notFound="Not deployed" stale="definition">
        {(loaded) => <StartForm definition={loaded} pinnedVersion={version} />}
      </ResourceGate>
    </section>
  );
}

const firstExample = (schema: Record<string, unknown>) => structuredClone(((schema.examples as unknown[] | undefined)?.[0] ?? {}) as Record<string, unknown>);

function StartForm({ definition, pinnedVersion }: { definition: DefinitionVersion; pinnedVersion?: number }) {
  const navigate = useNavigate();
  const schema = definition.definition.variables;
  // Per version: another version's variables may not fit this one's schema.
  const [draft, setDraft, discardDraft, restored] = useDraft(`start.${definition.id}.v${definition.version}`, () => ({
    businessKey: '',
    variables: firstExample(schema),
  }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [missingKey, setMissingKey] = useState(false);

  async function start(variables: Record<string, unknown>) {
    if (!draft.businessKey.trim()) {
      setMissingKey(true);
      document.getElementById('business-key')?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    setProblems([]);
    try {
      const started = await api.startProcess(definition.id, draft.businessKey.trim(), variables, pinnedVersion);
      discardDraft();
      navigate(`/processes/${started.id}`);
    } catch (err) {
      const e = asApiError(err);
      setError(e);
      setProblems(e.problems.filter((p) => p.in === 'variables'));
      setBusy(false);
    }
  }

  const runningId = (error?.details as { runningId?: string } | null)?.runningId;
  return (
    <div className="card narrow">
      <h1>
        Start {definition.definition.name} <span className="muted">v{definition.version}</span>
      </h1>
      {restored ? (
        <p className="notice small">Your unsent values were restored.</p>
      ) : (
        <p className="muted small">Prefilled with the definition's example; change what differs.</p>
      )}
      {error && error.status !== 401 && (
        <ErrorMessage error={error} title={error.status === 422 ? 'The variables were not accepted' : error.status === 409 ? 'Already running' : 'The process could not be started'} />
      )}
      {runningId && (
        <p>
          <Link to={`/processes/${runningId}`}>Open the running instance</Link>
        </p>
      )}
      <label htmlFor="business-key">Business key (unique among running instances of this process)</label>
      <input
        id="business-key"
        value={draft.businessKey}
        aria-invalid={missingKey && !draft.businessKey.trim()}
        aria-describedby={missingKey ? 'business-key-missing' : undefined}
        onChange={(e) => setDraft({ ...draft, businessKey: e.target.value })}
      />
      {missingKey && !draft.businessKey.trim() && (
        <p id="business-key-missing" className="field-error" role="alert">
          Enter a business key, e.g. the client's tax id.
        </p>
      )}
      <SchemaForm
        id="variables"
        schema={schema}
        value={draft.variables}
        onChange={(variables) => setDraft({ ...draft, variables })}
        onSubmit={(variables) => void start(variables)}
        problems={problems}
        disabled={busy}
      >
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Starting…' : 'Start process'}
          </button>
          <button type="button" disabled={busy} onClick={() => setDraft({ ...draft, variables: firstExample(schema) })}>
            Reset to the example
          </button>
        </div>
      </SchemaForm>
    </div>
  );
}
