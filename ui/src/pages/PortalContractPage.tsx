/**
 * The client signs the contract (seed 001): `/portal/contract#<token>`, from the e-mailed link, with no
 * login (the token stays in the URL fragment). The client reads the PDF, then signs by typing their
 * name or drawing it (signature_pad), and declares they accept it. A used, replaced or expired link
 * shows a page that says so.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import SignaturePad from 'signature_pad';
import { api, asApiError, type ApiError } from '../api/client';
import type { ClientContract } from '../api/types';
import { ErrorMessage, Loading } from '../components/States';
import { useLinkRefusal } from '../hooks/useLinkRefusal';
import { usePageTitle } from '../hooks/usePageTitle';

const DEAD: Record<string, string> = {
  link_used: 'This contract was already signed through this link. Thank you.',
  link_revoked: 'This link was replaced by a newer contract: open the latest e-mail, or ask your salesperson.',
  link_expired: 'This link has expired. Ask your salesperson for a new one.',
  contract_signed: 'This contract is already signed.',
  not_found: 'This link is not valid. Check that you opened the whole address from the e-mail.',
};

export function PortalContractPage() {
  const token = window.location.hash.slice(1);
  const [contract, setContract] = useState<ClientContract>();
  const { dead, error, refused } = useLinkRefusal(DEAD);
  const [signedAt, setSignedAt] = useState<string>();
  usePageTitle(contract?.title ?? 'Contract');
  useEffect(() => {
    api.clientContract(token).then(setContract, refused);
  }, [token]);

  return (
    <main className="link-page">
      <article>
        {dead && <p role="alert" className="notice">{DEAD[dead]}</p>}
        {!dead && !contract && !error && <Loading what="the contract" />}
        {error && <ErrorMessage error={error} title="The contract could not be opened" />}
        {contract && !dead && (
          <>
            <h1>{contract.title}</h1>
            <p>
              <a href={`/api/public/contracts/${encodeURIComponent(token)}/pdf`} target="_blank" rel="noopener">
                Read the contract (PDF)
              </a>{' '}
              <small>SHA-256 {contract.sha256}</small>
            </p>
            {signedAt ? (
              <p className="notice" role="status">
                You signed the contract on {new Date(signedAt).toLocaleString('es-CO', { dateStyle: 'long', timeStyle: 'short' })}. The signed copy, with its signature record, reaches your salesperson.
              </p>
            ) : (
              <SignForm token={token} onSigned={setSignedAt} onRefused={refused} />
            )}
          </>
        )}
      </article>
    </main>
  );
}

function SignForm({ token, onSigned, onRefused }: { token: string; onSigned: (at: string) => void; onRefused: (err: unknown) => void }) {
  const [method, setMethod] = useState<'typed' | 'drawn'>('typed');
  const [name, setName] = useState('');
  const [agree, setAgree] = useState(false);
  const [drawn, setDrawn] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | undefined>(undefined);

  useEffect(() => {
    if (method !== 'drawn' || !canvas.current) return;
    const signature = new SignaturePad(canvas.current, { penColor: '#1a2b4c' });
    signature.addEventListener('endStroke', () => setDrawn(!signature.isEmpty()));
    pad.current = signature;
    return () => signature.off();
  }, [method]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const drawingPng = method === 'drawn' ? pad.current!.toDataURL('image/png').split(',')[1] : undefined;
      const done = await api.signContract(token, { method, signerName: name, ...(method === 'typed' ? { typedSignature: name } : { drawingPng }), agree: true });
      onSigned(done.signedAt);
    } catch (err) {
      const apiError = asApiError(err);
      if (apiError.status === 410 || apiError.code === 'contract_signed') onRefused(err);
      else setError(apiError);
    } finally {
      setBusy(false);
    }
  }

  const ready = name.trim().length >= 2 && agree && (method === 'typed' || drawn);
  return (
    <form onSubmit={(e) => void submit(e)}>
      {error && <ErrorMessage error={error} title="The contract was not signed" />}
      <label>
        Your full name
        <input required minLength={2} maxLength={200} autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <fieldset>
        <legend>How you sign</legend>
        <label>
          <input type="radio" name="method" checked={method === 'typed'} onChange={() => setMethod('typed')} /> My typed name is my signature
        </label>
        <label>
          <input type="radio" name="method" checked={method === 'drawn'} onChange={() => setMethod('drawn')} /> I draw my signature
        </label>
      </fieldset>
      {method === 'typed' && name && <p className="typed-signature" aria-label="Your signature">{name}</p>}
      {method === 'drawn' && (
        <div>
          <canvas ref={canvas} className="signature-pad" width={480} height={160} aria-label="Draw your signature here" />
          <button type="button" onClick={() => (pad.current?.clear(), setDrawn(false))}>
            Clear the drawing
          </button>
        </div>
      )}
      <label>
        <input type="checkbox" checked={agree} onChange={(e) => setAgree(e.target.checked)} /> I read the contract and accept it
      </label>
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy || !ready}>
          Sign the contract
        </button>
      </div>
    </form>
  );
}
