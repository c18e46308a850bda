/**
 * Seed 002's general digital-sales report (step 26): the month the digital sales lead reports to the
 * head of sales. Pure: the figures from the month's sales as the store reads them.
 *
 * - `prospects`: sales started in the month, by the channel the prospect came from;
 * - `closed`: sales that ended in the month, by how (sold, by payment mode; unattended, by reason;
 *   handed over to business sales; cancelled);
 * - `inProgress`: sales started in the month and still running;
 * - `sales`: the sales that ended in the month, one line each (the list a lead follows up: attended ones,
 *   and unattended ones that can be re-entered).
 */
import { PROSPECT_CHANNELS, UNATTENDED_REASONS } from './index';

export const PAYMENT_MODES = ['prepaidTransfer', 'prepaidWeb', 'postpaid'] as const;

export interface ReportedSale {
  processId: string;
  businessKey: string;
  status: string;
  outcome: string | null;
  stage: string | null;
  channel: string | null;
  customerName: string | null;
  plan: string | null;
  paymentMode: string | null;
  unattendedReason: string | null;
  executive: string | null;
  startedAt: Date;
  endedAt: Date | null;
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** `started`: the sales started in the month; `ended`: those that ended in it (a sale may be in both). */
export function digitalSalesSummary(started: ReportedSale[], ended: ReportedSale[]) {
  const byChannel = zeros(PROSPECT_CHANNELS);
  for (const s of started) byChannel[(PROSPECT_CHANNELS as readonly string[]).includes(s.channel ?? '') ? (s.channel as keyof typeof byChannel) : 'other']++;
  const byPaymentMode = zeros(PAYMENT_MODES);
  const byReason = zeros(UNATTENDED_REASONS);
  let businessHandovers = 0;
  let cancelled = 0;
  for (const s of ended) {
    if (s.status === 'cancelled') cancelled++;
    else if (s.outcome === 'sold' && s.paymentMode && s.paymentMode in byPaymentMode) byPaymentMode[s.paymentMode as keyof typeof byPaymentMode]++;
    else if (s.outcome === 'unattended' && s.unattendedReason && s.unattendedReason in byReason) byReason[s.unattendedReason as keyof typeof byReason]++;
    else if (s.outcome === 'business-handover') businessHandovers++;
  }
  const sold = Object.values(byPaymentMode).reduce((a, b) => a + b, 0);
  const unattended = Object.values(byReason).reduce((a, b) => a + b, 0);
  return {
    prospects: { total: started.length, byChannel },
    closed: { sold: { total: sold, byPaymentMode }, unattended: { total: unattended, byReason }, businessHandovers, cancelled },
    inProgress: started.filter((s) => s.status === 'running').length,
  };
}
