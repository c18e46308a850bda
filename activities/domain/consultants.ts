/**
 * Sales-force enrollment (seed 003): blacklist check, sponsor lookup for the territorial-coverage
 * rule, registration (each of the seed's cases: lib/consultants.ts), activation, rejection and the credit
 * limit approved through a ticket.
 */
import type { Knex } from 'knex';
import { normalizeDocumentNumber, REGISTER_AS } from '../../domain/consultants';
import { appliesTo } from '../../domain/agreements';
import { createAgreementStore } from '../../lib/agreements';
import { createBlacklistStore } from '../../lib/blacklist';
import { createConsultantStore } from '../../lib/consultants';
import type { ProcessActivity } from '../context';
import { transition } from './status';
import {
  Input, checkEmail, findByKey, invalid, iso, notFound, optionalString, requireAmount, requireEnum, requireObject, requireString, requireUuid,
} from './support';

function person(input: Input) {
  const p = requireObject(input, 'person');
  const field = (name: string) => `person.${name}`;
  const get = (name: string) => {
    const v = p[name];
    if (typeof v !== 'string' || v.trim() === '') throw invalid(field(name), 'is required and must be a non-empty string');
    return v.trim();
  };
  const email = checkEmail(field('email'), get('email').toLowerCase());
  return {
    country: get('country').toUpperCase(),
    document_type: get('documentType'),
    document_number: normalizeDocumentNumber(get('documentNumber')),
    email,
    name: get('name'),
    phone: typeof p.phone === 'string' ? p.phone : null,
    zone: get('zone'),
  };
}

export function createConsultantActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  const blacklist = createBlacklistStore(db);
  const consultants = createConsultantStore(db);
  const agreements = createAgreementStore(db);
  return {
    async 'consultants.checkBlacklist'(input) {
      const hit = await blacklist.hit({
        country: requireString(input, 'country'), documentType: requireString(input, 'documentType'), documentNumber: requireString(input, 'documentNumber'), email: optionalString(input, 'email'),
      });
      return { blacklisted: Boolean(hit), reasonCode: hit?.reasonCode ?? null, reason: hit?.reason ?? null, reasonLabel: hit?.reasonLabel ?? null };
    },

    async 'consultants.lookupSponsor'(input) {
      const email = optionalString(input, 'email')?.toLowerCase() ?? null;
      const documentNumber = optionalString(input, 'documentNumber')?.replace(/[.\s]/g, '') ?? null;
      if (!email && !documentNumber) throw invalid('email', 'email or documentNumber is required');
      // Only an active consultant can sponsor: the seed's sponsor is the leader of a working network.
      const sponsor = await db('consultants')
        .where({ status: 'active', kind: 'consultant' })
        .andWhere((q) => {
          if (email) q.orWhere({ email });
          if (documentNumber) q.orWhere({ document_number: documentNumber });
        })
        .first('id', 'name', 'zone');
      return { found: Boolean(sponsor), sponsorId: sponsor?.id ?? null, name: sponsor?.name ?? null, zone: sponsor?.zone ?? null };
    },

    /** Registers the person as the case says (domain/consultants): new, moved on, or already registered. */
    async 'consultants.register'(input, ctx) {
      const documents = input.documents ?? [];
      if (!Array.isArray(documents)) throw invalid('documents', 'must be an array');
      const done = await consultants.register({
        key: ctx.key, instanceId: ctx.instanceId, person: person(input),
        registerAs: input.registerAs == null ? 'consultant' : requireEnum(input, 'registerAs', REGISTER_AS),
        channel: requireString(input, 'channel'), formType: requireEnum(input, 'formType', ['short', 'long'] as const),
        sponsorId: input.sponsorId == null || input.sponsorId === '' ? null : requireUuid(input, 'sponsorId'), documents,
      });
      const { consultant } = done;
      return { consultantId: consultant.id, kind: consultant.kind, status: consultant.status, case: done.case, registeredAt: iso(done.registeredAt) };
    },

    /**
     * The agreements the person accepted on the registration form, each once. One that stopped being in
     * force (or applying) since the form was filled is skipped, not failed: it stays pending for them.
     */
    async 'consultants.acceptAgreements'(input) {
      const consultantId = requireUuid(input, 'consultantId');
      const ids = input.agreementIds ?? [];
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw invalid('agreementIds', 'must be an array of agreement ids');
      const consultant = await consultants.byId(consultantId);
      if (!consultant) throw notFound('consultant', consultantId);
      const acceptedBy = requireString(input, 'acceptedBy');
      const accepted: Array<{ agreementId: string; code: string; version: number }> = [];
      const skipped: Array<{ agreementId: string; reason: string }> = [];
      for (const id of new Set(ids as string[])) {
        const a = await agreements.get(id);
        if (!a?.active || !appliesTo(a, consultant)) {
          skipped.push({ agreementId: id, reason: !a ? 'unknown' : !a.active ? 'no longer in force' : 'not for this consultant' });
          continue;
        }
        await agreements.accept(a.id, consultant.id, 'registration', acceptedBy);
        accepted.push({ agreementId: a.id, code: a.code, version: a.version });
      }
      return { accepted, skipped };
    },

    async 'consultants.activate'(input, ctx) {
      const consultantId = requireUuid(input, 'consultantId');
      const change = await transition(db, {
        entity: 'consultant', id: consultantId, to: 'active', from: ['pre-registered', 'inactive'],
        reason: optionalString(input, 'reason'), set: { activated_at: db.fn.now() },
      }, ctx);
      return { consultantId, status: change.to_status, changedAt: iso(change.at) };
    },

    async 'consultants.inactivate'(input, ctx) {
      const consultantId = requireUuid(input, 'consultantId');
      const change = await transition(db, { entity: 'consultant', id: consultantId, to: 'inactive', from: ['active'], reason: requireString(input, 'reason') }, ctx);
      return { consultantId, status: change.to_status, changedAt: iso(change.at) };
    },

    async 'consultants.reject'(input, ctx) {
      const consultantId = requireUuid(input, 'consultantId');
      const reason = requireString(input, 'reason');
      const change = await transition(db, {
        entity: 'consultant', id: consultantId, to: 'rejected', from: ['pre-registered'], reason, set: { rejection_reason: reason },
      }, ctx);
      return { consultantId, status: change.to_status, reason, changedAt: iso(change.at) };
    },

    async 'consultants.setCreditLimit'(input, ctx) {
      const consultantId = requireUuid(input, 'consultantId');
      const amount = requireAmount(input, 'amount', { allowZero: true });
      const approvedBy = optionalString(input, 'approvedBy');
      const limit = await db.transaction(async (trx) => {
        const done = await findByKey<{ amount: string }>(trx, 'credit_limits', ctx.key);
        if (done) return Number(done.amount);
        const consultant = await trx('consultants').where({ id: consultantId }).forUpdate().first('id');
        if (!consultant) throw notFound('consultant', consultantId);
        await trx('credit_limits').insert({ consultant_id: consultantId, amount, approved_by: approvedBy, instance_id: ctx.instanceId, idempotency_key: ctx.key });
        await trx('consultants').where({ id: consultantId }).update({ credit_limit: amount, updated_at: trx.fn.now() });
        return amount;
      });
      return { consultantId, creditLimit: limit };
    },
  };
}

