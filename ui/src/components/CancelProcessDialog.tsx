/** Asks for a reason and a confirmation before cancelling an instance (its onCancel step runs first). */
import { useRef, useState, type FormEvent } from 'react';
import { api, asApiError, type ApiError } from '../api/client';
import { ErrorMessage } from './States';

export function CancelProcessDialog({ processId, businessKey, onCancelled }: { processId: string; businessKey: string; onCancelled: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.cancelProcess(processId, reason.trim());
      dialog.current?.close();
      setReason('');
      onCancelled();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className="danger" onClick={() => dialog.current?.showModal()}>
        Cancel process…
      </button>
      <dialog ref={dialog} aria-labelledby="cancel-title" onClose={() => setError(undefined)}>
        <form onSubmit={submit}>
          <h2 id="cancel-title">Cancel {businessKey}?</h2>
          <p>The process stops for good: its open tasks are withdrawn and its cancellation step (if any) runs. This cannot be undone.</p>
          {error && <ErrorMessage error={error} title="The process could not be cancelled" />}
          <label htmlFor="cancel-reason">Reason (kept in the history)</label>
          <textarea id="cancel-reason" required value={reason} onChange={(e) => setReason(e.target.value)} rows={3} autoFocus />
          <div className="button-row">
            <button type="submit" className="danger" disabled={busy || !reason.trim()}>
              {busy ? 'Cancelling…' : 'Cancel the process'}
            </button>
            <button type="button" onClick={() => dialog.current?.close()} disabled={busy}>
              Keep it running
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
