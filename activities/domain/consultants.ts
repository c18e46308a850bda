/**
 * Sales-force enrollment (seed 003): blacklist check, sponsor lookup for the territorial-coverage
 * rule, pre-registration, activation, rejection and the credit limit approved through a ticket.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { ProcessActivity } from '../context';
import { transition } from './status';
import {
  Input, checkEmail, findByKey, insertOnce, invalid, isUniqueViolation, iso, notFound, optionalString, requireAmount, requireEnum, requireObject, requireString, requireUuid,
} from './support';

interface ConsultantRow { id: string; status: string; name: string; zone: string; credit_limit: string; created_at: Date }

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
    document_number: get('documentNumber').replace(/[.\s]/g, ''),
    email,
    name: get('name'),
    phone: typeof p.phone === 'string' ? p.phone : null,
    zone: get('zone'),
  };
}

export function createConsultantActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'consultants.checkBlacklist'(input) {
      const country = requireString(input, 'country').toUpperCase();
      const documentType = requireString(input, 'documentType');
      const documentNumber = requireString(input, 'documentNumber').replace(/[.\s]/g, '');
      const email = optionalString(input, 'email')?.toLowerCase() ?? null;
      const hit = await db('blacklist')
        .where((q) => {
          q.where({ country, document_type: documentType, document_number: documentNumber });
          if (email) q.orWhereRaw('lower(email) = ?', [email]);
        })
        .orderBy('id')
        .first('reason_code', 'reason');
      return { blacklisted: Boolean(hit), reasonCode: hit?.reason_code ?? null, reason: hit?.reason ?? null };
    },

    async 'consultants.lookupSponsor'(input) {
      const email = optionalString(input, 'email')?.toLowerCase() ?? null;
      const documentNumber = optionalString(input, 'documentNumber')?.replace(/[.\s]/g, '') ?? null;
      if (!email && !documentNumber) throw invalid('email', 'email or documentNumber is required');
      // Only an active consultant can sponsor: the seed's sponsor is the leader of a working network.
      const sponsor = await db('consultants')
        .where({ status: 'active' })
        .andWhere((q) => {
          if (email) q.orWhere({ email });
          if (documentNumber) q.orWhere({ document_number: documentNumber });
        })
        .first('id', 'name', 'zone');
      return { found: Boolean(sponsor), sponsorId: sponsor?.id ?? null, name: sponsor?.name ?? null, zone: sponsor?.zone ?? null };
    },

    async 'consultants.register'(input, ctx) {
      const who = person(input);
      const documents = input.documents ?? [];
      if (!Array.isArray(documents)) throw invalid('documents', 'must be an array');
      const row = {
        ...who,
        channel: requireString(input, 'channel'),
        form_type: requireEnum(input, 'formType', ['short', 'long'] as const),
        sponsor_id: input.sponsorId == null || input.sponsorId === '' ? null : requireUuid(input, 'sponsorId'),
        documents: JSON.stringify(documents),
        credit_limit: 0,
      };
      const earlier = await findByKey<ConsultantRow>(db, 'consultants', ctx.key);
      if (earlier) return { consultantId: earlier.id, status: earlier.status, registeredAt: iso(earlier.created_at) };
      try {
        const saved = await insertOnce<ConsultantRow>(db, 'consultants', { ...row, instance_id: ctx.instanceId, idempotency_key: ctx.key });
        return { consultantId: saved.id, status: saved.status, registeredAt: iso(saved.created_at) };
      } catch (error) {
        if (isUniqueViolation(error, 'consultants_live_document')) {
          throw ApplicationFailure.nonRetryable(
            `${who.document_type} ${who.document_number} (${who.country}) already has a live registration`,
            'AlreadyRegistered',
            { documentNumber: who.document_number },
          );
        }
        throw error;
      }
    },

    async 'consultants.activate'(input, ctx) {
      const consultantId = requireUuid(input, 'consultantId');
      const change = await transition(db, {
        entity: 'consultant', id: consultantId, to: 'active', from: ['pre-registered', 'inactive'],
        reason: optionalString(input, 'reason'), set: { activated_at: db.fn.now() },
      }, ctx);
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

