/**
 * Seed 001's estimates: priced from the catalog by the one rule (domain/estimates), refused (422) when
 * a line is bad or the caller's totals do not add up, before anything is stored; revised as a new
 * version that supersedes the live one. Each belongs to a lead's process, which hears the client's
 * answer as the `estimate.answered` message: the answer is stored only once the process took it.
 */
import type { AppDeps } from '../deps';
import type { MessageRouter } from '../messages/router';
import { createProcessStore } from '../processes/store';
import { messageListeners } from '../../lib/definitions/store';
import { conflict, HttpError, invalidFields, notFound } from '../errors';
import { createLinkLimits } from '../task-links/limits';
import { appUrl, publicUrlOf } from '../../lib/config';
import { linkRefusal, type LinkRefusal } from '../../lib/task-links/state';
import { parseDuration } from '../../workflows/duration';
import type { SessionUser } from '../types';
import { ESTIMATE_ANSWERED, priceLines, totalsProblems, type EstimateAnswer, type LineInput, type Totals } from '../../domain/estimates';
import { createEstimateStore, estimateTotals, type EstimateRow } from '../../lib/estimates';
import { toIso } from '../../lib/time';
import { estimatePdfFile } from '../../lib/estimate-pdf';
import type { CreateEstimateBody, ReviseEstimateBody } from './schemas';



/** How long a client may answer an estimate sent to them, unless the salesperson says otherwise. */
const DEFAULT_VALIDITY = '30d';

const REFUSALS: Record<LinkRefusal, string> = {
  link_revoked: 'This link was replaced by a newer one: use the latest e-mail, or ask your salesperson.',
  link_used: 'This estimate was already answered through this link.',
  link_expired: 'This link has expired. Ask your salesperson for a new one.',
};

export function createEstimateService({ db, config }: Pick<AppDeps, 'db' | 'config'>, messages: MessageRouter) {
  const store = createEstimateStore(db);
  const processes = createProcessStore(db);
  const limits = createLinkLimits(db, config.auth.loginLimits.perAddress);

  /** The link a token opens, when it can still be used; 404 for no link, 410 saying why for a dead one. */
  async function usableLink(token: string, trx?: Parameters<typeof store.linkByToken>[1]) {
    const link = await store.linkByToken(token, trx);
    if (!link) throw notFound('No estimate behind this link');
    const refusal = linkRefusal(link, Date.now());
    if (refusal) throw new HttpError(410, refusal, REFUSALS[refusal]);
    return link;
  }

  /** 409 naming the live version when `row` is not the one waiting for an answer. */
  async function notLive(row: EstimateRow, code: string, doing: string): Promise<HttpError> {
    const live = (await store.versions(row.estimate_key)).find((v) => v.status !== 'superseded');
    const newer = live && live.version > row.version ? `; version ${live.version} replaces it` : '';
    return conflict(code, `Version ${row.version} is ${row.status}, so it cannot be ${doing}${newer}`, { liveVersion: live ? { id: live.id, version: live.version, status: live.status } : null });
  }

  const pdfOf = estimatePdfFile;

  /** What the client sees: no internal ids but the estimate's own, no author. */
  const forClient = (r: EstimateRow) => ({
    id: r.id, version: r.version, status: r.status, customer: { name: r.customer_name, email: r.customer_email }, currency: r.currency, lines: r.lines, totals: estimateTotals(r),
  });

  async function price(lines: LineInput[], currency: string, claimed: Partial<Totals> | undefined) {
    const priced = priceLines(lines, await store.catalog(lines.map((l) => l.itemCode)), currency);
    if ('problems' in priced) throw invalidFields('invalid_estimate', 'body', priced.problems);
    const wrong = totalsProblems(claimed ?? {}, priced.totals);
    if (wrong.length) throw invalidFields('totals_mismatch', 'body', wrong);
    return priced;
  }

  async function present(r: EstimateRow) {
    const versions = await store.versions(r.estimate_key);
    return {
      id: r.id,
      estimateKey: r.estimate_key,
      version: r.version,
      status: r.status,
      customer: { name: r.customer_name, email: r.customer_email },
      processId: r.process_id,
      currency: r.currency,
      lines: r.lines,
      totals: estimateTotals(r),
      versions: versions.map((v) => ({ id: v.id, version: v.version, status: v.status })),
      createdBy: r.created_by,
      createdAt: toIso(r.created_at)!,
    };
  }

  /** The running process an estimate may belong to: one whose definition hears the client's answer (422 otherwise). */
  async function owningProcess(processId: string): Promise<{ id: string; businessKey: string }> {
    const refuse = (message: string) => invalidFields('invalid_estimate', 'body', [{ field: 'processId', message }]);
    const instance = await processes.get(processId);
    if (!instance) throw refuse(`no process ${processId}`);
    if (instance.status !== 'running') throw refuse(`process ${processId} is ${instance.status}: only a running process can receive an estimate`);
    const hearing = (await messageListeners(db, ESTIMATE_ANSWERED)).map((l) => l.dv.id);
    if (!hearing.includes(instance.definition_id)) {
      throw refuse(`a ${instance.definition_id} process does not hear estimate answers (the ${ESTIMATE_ANSWERED} message); ${hearing.length ? `these do: ${hearing.join(', ')}` : 'no deployed process does'}`);
    }
    return { id: instance.id, businessKey: instance.business_key };
  }

  async function requireEstimate(id: string): Promise<EstimateRow> {
    const row = await store.get(id);
    if (!row) throw notFound(`No estimate ${id}`, { id });
    return row;
  }

  return {
    async catalog() {
      return { items: [...(await store.catalog()).values()] };
    },

    async create(user: SessionUser, body: CreateEstimateBody) {
      const process = await owningProcess(body.processId);
      const { lines, totals } = await price(body.lines, body.currency, body.totals);
      const row = await store.create({ customerName: body.customer.name, customerEmail: body.customer.email, process, currency: body.currency, lines, totals, createdBy: user.username });
      return present(row);
    },

    get: async (id: string) => present(await requireEstimate(id)),

    pdf: async (id: string) => pdfOf(await requireEstimate(id)),

    /** The PDF of the estimate a client's link opens (while the link can be used). */
    async pdfForClient(token: string, address: string) {
      await limits.attempt(address);
      const link = await usableLink(token);
      await limits.succeeded(address);
      return pdfOf((await store.get(link.estimate_id))!);
    },

    /** Sends the version to the client's portal: marked sent, a single-use link e-mailed to them. */
    async send(user: SessionUser, id: string, body: { email?: string; expiresIn?: string }) {
      const row = await requireEstimate(id);
      let validFor: number;
      try {
        validFor = parseDuration(body.expiresIn ?? DEFAULT_VALIDITY);
      } catch (err) {
        throw invalidFields('invalid_duration', 'body', [{ field: 'expiresIn', message: (err as Error).message }]);
      }
      const email = body.email ?? row.customer_email;
      const expiresAt = new Date(Date.now() + validFor);
      const link = await store.send(row, { email, expiresAt, createdBy: user.username, portalUrl: (token) => appUrl(publicUrlOf(config), `/portal/estimate#${token}`) });
      if (!link) throw await notLive(row, 'estimate_not_live', 'sent');
      return { sent: true, email, expiresAt: expiresAt.toISOString() };
    },

    /** The estimate a client's link opens. */
    async openForClient(token: string, address: string) {
      await limits.attempt(address);
      const link = await usableLink(token);
      await limits.succeeded(address);
      return forClient((await store.get(link.estimate_id))!);
    },

    /**
     * The client accepts or declines the version the link was sent for: the lead's process takes the
     * answer first (one update through the message router), then the version and the link are marked, in
     * the transaction that holds both rows, so a revision cannot slip between. 409 naming the newer
     * version when it was revised; 409 too when the process no longer waits for an answer.
     */
    async answer(token: string, address: string, decision: 'accepted' | 'declined', reason: string | null) {
      await limits.attempt(address);
      const answered = await store.transaction(async (trx) => {
        const link = await usableLink(token, trx);
        const row = (await store.get(link.estimate_id, trx))!;
        if (row.status !== 'sent') throw await notLive(row, 'estimate_superseded', decision);
        if (!row.business_key) throw conflict('estimate_without_process', `Version ${row.version} belongs to no process, so nobody would hear the answer; ask your salesperson`);
        const payload: EstimateAnswer = { estimateId: row.id, version: row.version, decision, reason, totalMinor: Number(row.total_minor), currency: row.currency, answeredBy: link.email };
        await messages.send(
          { id: `estimate-link:${link.id}`, username: link.email, roles: [] },
          { name: ESTIMATE_ANSWERED, businessKey: row.business_key, messageId: `estimate-answer:${link.id}`, payload: payload as unknown as Record<string, unknown> },
        );
        await store.decide(trx, link, decision, reason);
        return link;
      });
      await limits.succeeded(address);
      return forClient((await store.get(answered.estimate_id))!);
    },

    /** A lead's estimates: the live version of each of its series, newest first. */
    async list(processId: string) {
      return { items: await Promise.all((await store.forProcess(processId)).map(present)) };
    },

    async revise(user: SessionUser, id: string, body: ReviseEstimateBody) {
      const of = await requireEstimate(id);
      const { lines, totals } = await price(body.lines, of.currency, body.totals);
      const next = await store.revise(of, { customerName: of.customer_name, customerEmail: of.customer_email, process: { id: of.process_id!, businessKey: of.business_key! }, currency: of.currency, lines, totals, createdBy: user.username });
      if (!next) {
        const live = (await store.versions(of.estimate_key)).find((v) => v.status !== 'superseded');
        throw conflict('estimate_not_live', live ? `version ${of.version} is ${of.status}: version ${live.version} (${live.id}) is the one to revise` : `version ${of.version} is ${of.status}`, { liveVersion: live ? { id: live.id, version: live.version, status: live.status } : null });
      }
      return present(next);
    },
  };
}

export type EstimateService = ReturnType<typeof createEstimateService>;
