/**
 * A seed-001 lead's estimates on its page, where the salesperson builds them: a new one from the
 * catalog's items (quantity and discount per line, the totals priced as you type by the same
 * domain/estimates the API prices with), sent to the client's portal, revised into a new version, read
 * as a PDF. The API decides: a refusal (a superseded version, totals that do not add up) shows its message.
 */
import { useState, type FormEvent } from 'react';
import { api, asApiError, type ApiError, type EstimateLineInput } from '../api/client';
import type { CatalogEntry, ProcessDetail, StaffEstimate } from '../api/types';
import { useResource } from '../hooks/useResource';
import { useSession } from '../session/SessionProvider';
import { holdsFeature } from '../session/features';
import { localMoney } from '../../../domain/money';
import { priceLines } from '../../../domain/estimates';
import { Badge } from './Badge';
import { ErrorMessage } from './States';

const money = (minor: number, currency: string) => localMoney(minor, currency, 'es-CO');
/** The lines a salesperson may still change: a version the client has not answered. */
const REVISABLE = new Set(['draft', 'sent', 'declined']);

type Editing = { mode: 'new' } | { mode: 'revise'; estimate: StaffEstimate };

export function LeadEstimates({ process }: { process: ProcessDetail }) {
  const { user } = useSession();
  const canPropose = holdsFeature(user, 'estimates') && process.status === 'running';
  const list = useResource(() => api.leadEstimates(process.id), [process.id]);
  const [editing, setEditing] = useState<Editing>();
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const contact = (process.variables as { contact?: { name: string; email: string } }).contact;

  async function act(what: () => Promise<string>) {
    setError(undefined);
    setNotice(undefined);
    try {
      setNotice(await what());
      await list.reload();
    } catch (err) {
      setError(asApiError(err));
    }
  }
  const revise = (id: string) => act(async () => (setEditing({ mode: 'revise', estimate: await api.estimate(id) }), ''));

  // Read-only roles see the list when the API lets them; one it refuses is not shown.
  if (list.error?.status === 403 || (!canPropose && !list.data?.items.length)) return null;
  return (
    <section className="card" aria-label="Estimates">
      <h2>Estimates</h2>
      {list.error && <ErrorMessage error={list.error} title="The estimates could not be loaded" />}
      {error && <ErrorMessage error={error} title="The estimate was not changed" />}
      {notice && <p className="notice" role="status">{notice}</p>}
      <ul className="records">
        {list.data?.items.map((e) => (
          <li key={e.id}>
            Version {e.version}: {money(e.totals.totalMinor, e.currency)} <Badge value={e.status} />{' '}
            <span className="button-row inline">
              <button type="button" className="link" onClick={() => void act(async () => (await api.downloadEstimate(e.id, e.version), ''))}>
                PDF
              </button>
              {canPropose && e.status === 'draft' && (
                <button type="button" className="link" onClick={() => void act(async () => `Sent to ${(await api.sendEstimate(e.id)).email}: the link is in their e-mail.`)}>
                  Send to the client
                </button>
              )}
              {canPropose && REVISABLE.has(e.status) && (
                <button type="button" className="link" onClick={() => void revise(e.id)}>
                  Revise
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
      {canPropose && !editing && contact && (
        <button type="button" onClick={() => setEditing({ mode: 'new' })}>
          New estimate
        </button>
      )}
      {editing && contact && (
        <EstimateForm
          key={editing.mode === 'new' ? 'new' : editing.estimate.id}
          initial={editing.mode === 'new' ? [] : editing.estimate.lines}
          title={editing.mode === 'new' ? 'New estimate' : `Version ${editing.estimate.version + 1} of the estimate`}
          onCancel={() => setEditing(undefined)}
          onSave={async (currency, lines) => {
            const saved = editing.mode === 'new'
              ? await api.createEstimate({ processId: process.id, customer: { name: contact.name, email: contact.email }, currency, lines })
              : await api.reviseEstimate(editing.estimate.id, lines);
            setEditing(undefined);
            setNotice(`Version ${saved.version} saved as a draft: send it to the client when it is ready.`);
            await list.reload();
          }}
        />
      )}
    </section>
  );
}

/** The totals as the API will price them; amounts past what a number holds are a problem to show, not a crash. */
function preview(input: EstimateLineInput[], items: CatalogEntry[], currency: string): ReturnType<typeof priceLines> {
  try {
    return priceLines(input, new Map(items.map((i) => [i.code, i])), currency);
  } catch (err) {
    return { problems: [{ field: 'lines', message: (err as Error).message }] };
  }
}

interface FormLine { itemCode: string; quantity: string; discountPercent: string }

function EstimateForm({ initial, title, onSave, onCancel }: {
  initial: readonly EstimateLineInput[];
  title: string;
  onSave: (currency: string, lines: EstimateLineInput[]) => Promise<void>;
  onCancel: () => void;
}) {
  const catalog = useResource(() => api.catalog(), []);
  const [lines, setLines] = useState<FormLine[]>(() =>
    initial.length > 0 ? initial.map((l) => ({ itemCode: l.itemCode, quantity: String(l.quantity), discountPercent: String((l.discountBp ?? 0) / 100) })) : [{ itemCode: '', quantity: '1', discountPercent: '0' }],
  );
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const items = catalog.data?.items ?? [];
  const currency = items[0]?.currency ?? 'COP';
  const input: EstimateLineInput[] = lines.map((l) => ({ itemCode: l.itemCode, quantity: Number(l.quantity), discountBp: Math.round(Number(l.discountPercent) * 100) }));
  const priced = items.length > 0 ? preview(input, items, currency) : undefined;
  const change = (i: number, patch: Partial<FormLine>) => setLines((all) => all.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSave(currency, input);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="estimate-form" aria-label={title} onSubmit={(e) => void submit(e)}>
      <h3>{title}</h3>
      {catalog.error && <ErrorMessage error={catalog.error} title="The catalog could not be loaded" />}
      {error && <ErrorMessage error={error} title="The estimate was not saved" />}
      {lines.map((l, i) => (
        <fieldset key={i} aria-label={`Line ${i + 1}`}>
          <label>
            Item
            <select required value={l.itemCode} onChange={(e) => change(i, { itemCode: e.target.value })}>
              <option value="">Choose an item</option>
              {items.map((item) => (
                <option key={item.code} value={item.code}>
                  {item.name} ({money(item.unitPriceMinor, item.currency)}{item.recurring ? ' monthly' : ''})
                </option>
              ))}
            </select>
          </label>
          <label>
            Quantity
            <input type="number" required min={1} step={1} value={l.quantity} onChange={(e) => change(i, { quantity: e.target.value })} />
          </label>
          <label>
            Discount %
            <input type="number" min={0} max={100} step={0.01} value={l.discountPercent} onChange={(e) => change(i, { discountPercent: e.target.value })} />
          </label>
          {lines.length > 1 && (
            <button type="button" onClick={() => setLines((all) => all.filter((_, j) => j !== i))}>
              Remove line {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <button type="button" onClick={() => setLines((all) => [...all, { itemCode: '', quantity: '1', discountPercent: '0' }])}>
        Add a line
      </button>
      {priced && 'totals' in priced ? (
        <dl className="facts" aria-label="Totals">
          <div><dt>Before tax</dt><dd>{money(priced.totals.netMinor, currency)}</dd></div>
          <div><dt>Discounts</dt><dd>{money(priced.totals.discountMinor, currency)}</dd></div>
          <div><dt>Tax</dt><dd>{money(priced.totals.taxMinor, currency)}</dd></div>
          <div><dt>Total</dt><dd>{money(priced.totals.totalMinor, currency)}</dd></div>
        </dl>
      ) : (
        priced && <p className="muted small">{priced.problems.map((p) => p.message).join('; ')}</p>
      )}
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy || !priced || !('totals' in priced)}>
          Save as draft
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
