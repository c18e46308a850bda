/**
 * The rjsf field of a form field annotated `x-cauce-verdicts: [<kind>, …]`: for each kind, the
 * instance's documents of that kind (download links) and Accept / Reject, with a reason required on
 * reject. The value is `{ <kind>: { verdict: accepted } | { verdict: rejected, reason } }`, what the
 * workflow's validator judges (workflows/documents.ts); its messages land under the kind they name.
 */
import type { ErrorSchema, FieldProps } from '@rjsf/utils';
import { VERDICTS_KEYWORD, type Verdict } from '../../../workflows/documents';
import type { DocumentFormContext } from '../lib/documents';
import { DocumentById } from './DocumentLink';

const errorsAt = (schema: ErrorSchema | undefined): string[] => ((schema as { __errors?: string[] } | undefined)?.__errors ?? []);

export function DocumentVerdictsField({ schema, name, formData, onChange, fieldPathId, errorSchema, disabled, readonly, registry }: FieldProps) {
  const context = registry.formContext as DocumentFormContext | undefined;
  const kinds = ((schema as Record<string, unknown>)[VERDICTS_KEYWORD] as string[] | undefined) ?? [];
  const verdicts = (formData && typeof formData === 'object' ? formData : {}) as Record<string, Verdict>;
  const baseId = fieldPathId.$id;
  const locked = disabled || readonly;
  const set = (kind: string, verdict: Verdict) => onChange({ ...verdicts, [kind]: verdict }, fieldPathId.path);

  return (
    <fieldset className="document-verdicts" id={baseId}>
      <legend>{schema.title ?? name}</legend>
      {schema.description && <p className="muted small">{schema.description}</p>}
      {kinds.map((kind) => {
        const declared = context?.documentKinds?.[kind];
        const ids = context?.documentIds?.[kind] ?? [];
        const verdict = verdicts[kind];
        const kindErrors = (errorSchema as Record<string, ErrorSchema> | undefined)?.[kind];
        const reasonErrors = errorsAt((kindErrors as Record<string, ErrorSchema> | undefined)?.reason);
        const id = `${baseId}_${kind}`;
        return (
          <fieldset key={kind} className="document-verdict">
            <legend>
              {declared?.title ?? kind}
              {declared?.required && <span className="muted"> (required)</span>}
            </legend>
            {ids.length === 0 ? (
              <p className="muted">No document of this kind was submitted in this process.</p>
            ) : (
              <ul className="documents">
                {ids.map((docId) => (
                  <li key={docId}>
                    <DocumentById id={docId} />
                  </li>
                ))}
              </ul>
            )}
            <div className="button-row" role="radiogroup" aria-label={`Verdict on ${declared?.title ?? kind}`}>
              <label className="inline">
                <input type="radio" name={`${id}_verdict`} checked={verdict?.verdict === 'accepted'} onChange={() => set(kind, { verdict: 'accepted' })} disabled={locked} /> Accept
              </label>
              <label className="inline">
                <input
                  type="radio"
                  name={`${id}_verdict`}
                  checked={verdict?.verdict === 'rejected'}
                  onChange={() => set(kind, { verdict: 'rejected', reason: verdict?.reason ?? '' })}
                  disabled={locked}
                />{' '}
                Reject
              </label>
            </div>
            {verdict?.verdict === 'rejected' && (
              <label htmlFor={`${id}_reason`}>
                Reason for rejecting (required; the submitter sees it)
                <textarea
                  id={`${id}_reason`}
                  rows={2}
                  required
                  aria-invalid={reasonErrors.length > 0}
                  value={verdict.reason ?? ''}
                  onChange={(e) => set(kind, { verdict: 'rejected', reason: e.target.value })}
                  disabled={locked}
                />
              </label>
            )}
            {[...errorsAt(kindErrors), ...reasonErrors].map((message, i) => (
              <p key={i} className="field-error" role="alert">
                {message}
              </p>
            ))}
          </fieldset>
        );
      })}
    </fieldset>
  );
}
