/**
 * A stored document as people see it: its file name as a download link, its type and size. The
 * download needs the session's bearer token, so the click fetches the bytes (api.downloadDocument);
 * the href keeps it a real, keyboard-usable link that names the API address.
 */
import { useState } from 'react';
import { api, asApiError, type ApiError } from '../api/client';
import type { DocumentMeta } from '../api/types';
import { useResource } from '../hooks/useResource';
import { formatBytes } from '../lib/documents';

export function DocumentSummary({ doc }: { doc: DocumentMeta }) {
  const [error, setError] = useState<ApiError>();
  return (
    <span className="document-summary">
      <a
        href={`/api/documents/${encodeURIComponent(doc.id)}`}
        onClick={(e) => {
          e.preventDefault();
          setError(undefined);
          api.downloadDocument(doc.id, doc.filename).catch((err: unknown) => setError(asApiError(err)));
        }}
      >
        {doc.filename}
      </a>{' '}
      <span className="muted">
        ({doc.contentType}, {formatBytes(doc.size)}
        {doc.issuedAt && `, issued ${doc.issuedAt}`})
      </span>
      {error && (
        <span className="field-error" role="alert">
          {' '}
          The download failed: {error.message}
        </span>
      )}
    </span>
  );
}

/** A document known by its id: its metadata loaded, then shown as a DocumentSummary. */
export function DocumentById({ id }: { id: string }) {
  const meta = useResource(() => api.documentMeta(id), [id]);
  if (meta.loading) return <span className="muted">Loading the document…</span>;
  if (!meta.data) return <span className="field-error">The document {id} could not be loaded: {meta.error?.message}</span>;
  return <DocumentSummary doc={meta.data} />;
}
