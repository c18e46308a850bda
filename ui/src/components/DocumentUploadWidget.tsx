/**
 * The rjsf widget of a form field annotated `x-cauce-document: <kind>`: choosing a file uploads it
 * (POST /api/documents with the kind, and the issue date when the kind has a maxAge), and the field's
 * value becomes the stored document's id. The API's refusal (413 too large, 422 wrong type naming the
 * sniffed and allowed types) is shown as the API words it. The field's label (rjsf's, `for` this id)
 * names the file input, so it is reachable and operable by keyboard like any other input.
 */
import type { WidgetProps } from '@rjsf/utils';
import { useRef, useState, type ChangeEvent } from 'react';
import { api, asApiError, ApiError } from '../api/client';
import { DocumentById } from './DocumentLink';
import { DOCUMENT_KEYWORD } from '../../../workflows/documents';
import type { DocumentFormContext } from '../lib/documents';

/** Why the API refused the file, in the words a person needs first. */
function refusalTitle(error: ApiError): string {
  if (error.code === 'issue_date_missing') return 'The issue date is missing';
  if (error.status === 413) return 'The file is too large';
  if (error.status === 422) return 'The file was not accepted';
  return 'The upload failed';
}

export function DocumentUploadWidget({ id, value, onChange, schema, disabled, readonly, registry }: WidgetProps) {
  const kindName = String((schema as Record<string, unknown>)[DOCUMENT_KEYWORD] ?? '');
  const context = registry.formContext as DocumentFormContext | undefined;
  const kind = context?.documentKinds?.[kindName];
  const rejected = context?.verdicts?.[kindName]?.verdict === 'rejected' ? context.verdicts[kindName] : undefined;
  const [issuedAt, setIssuedAt] = useState('');
  /** The file being sent and how far it got (0..1), while an upload is out. */
  const [sending, setSending] = useState<{ name: string; fraction: number }>();
  const [error, setError] = useState<ApiError>();
  const input = useRef<HTMLInputElement>(null);
  const documentId = typeof value === 'string' && value ? value : undefined;
  const hintId = `${id}__hint`;
  const locked = disabled || readonly || !!sending;

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setError(undefined);
    if (kind?.maxAge && !issuedAt) {
      // The API would store it, and the completion would then refuse it as undated: say so now.
      setError(new ApiError(0, 'issue_date_missing', `Enter the issue date first: a ${kind.title ?? kindName} must be issued within ${kind.maxAge}.`));
      event.target.value = '';
      return;
    }
    setSending({ name: file.name, fraction: 0 });
    try {
      const created = await api.uploadDocument(file, { kind: kindName || undefined, issuedAt: kind?.maxAge ? issuedAt : undefined }, (fraction) =>
        setSending({ name: file.name, fraction }),
      );
      onChange(created.id);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSending(undefined);
      if (input.current) input.current.value = '';
    }
  }

  return (
    <div className="document-upload" aria-busy={!!sending}>
      <p id={hintId} className="muted small">
        {kind ? `${kind.title ?? kindName}: ${kind.types.join(', ')}` : `Kind ${kindName}`}
        {kind?.maxAge && `, issued within ${kind.maxAge}`}
        {kind?.required && ' (required)'}
      </p>
      {rejected && (
        <p className="notice document-rejected">
          The last one sent was rejected: <strong>{rejected.reason}</strong>. Upload a new one.
        </p>
      )}
      {documentId && (
        <p className="document-stored">
          Stored: <DocumentById id={documentId} />{' '}
          <button type="button" onClick={() => onChange(undefined)} disabled={locked}>
            Remove
          </button>
        </p>
      )}
      {kind?.maxAge && (
        <label className="document-issued">
          Issue date{' '}
          <input type="date" value={issuedAt} onChange={(e) => setIssuedAt(e.target.value)} disabled={locked} max={new Date().toISOString().slice(0, 10)} />
        </label>
      )}
      <div className="document-choose">
        {documentId && (
          <span className="muted small" aria-hidden="true">
            Replace with:{' '}
          </span>
        )}
        <input
          ref={input}
          id={id}
          type="file"
          accept={kind?.types.join(',')}
          aria-describedby={hintId}
          onChange={(e) => void upload(e)}
          disabled={locked}
        />
      </div>
      {sending && (
        <p role="status">
          Uploading {sending.name}… <progress max={1} value={sending.fraction} aria-label={`Uploading ${sending.name}`} /> {Math.round(sending.fraction * 100)}%
        </p>
      )}
      {error && (
        <div className="state state-error" role="alert">
          <strong>{refusalTitle(error)}</strong>
          <p>{error.message}</p>
        </div>
      )}
    </div>
  );
}
