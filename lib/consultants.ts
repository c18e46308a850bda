/**
 * SQL for seed 003's people (tables `consultants` and `consultant_registrations`, migrations 002 and
 * 037). One live record per person (document), a consultant or a customer; a registration creates it or
 * moves it on (domain/consultants decides which), once per enrollment step: the registration row is
 * keyed by the step, so a retry returns what the first attempt did.
 */
import type { Knex } from 'knex';
import { normalizeDocumentNumber, registrationCase, type PersonKind, type PersonStatus, type RegisterAs, type RegistrationCase } from '../domain/consultants';

export interface ConsultantRow {
  id: string;
  kind: PersonKind;
  status: PersonStatus;
  country: string;
  document_type: string;
  document_number: string;
  email: string;
  name: string;
  phone: string | null;
  zone: string;
  /** The rank an agreement may be for (migration 038); null until one is given. */
  rank: string | null;
  sponsor_id: string | null;
  channel: string;
  form_type: 'short' | 'long';
  credit_limit: string;
  created_at: Date;
  activated_at: Date | null;
  username: string | null;
  documents: unknown;
}

export interface ConsultantFilter {
  status?: PersonStatus;
  kind?: PersonKind;
  zone?: string;
  sponsorId?: string;
  registeredFrom?: string;
  registeredTo?: string;
  limit: number;
  offset: number;
}

export interface Registration {
  key: string;
  instanceId: string;
  registerAs: RegisterAs;
  person: { country: string; document_type: string; document_number: string; email: string; name: string; phone: string | null; zone: string };
  channel: string;
  formType: 'short' | 'long';
  sponsorId: string | null;
  documents: unknown[];
}

export interface Registered { consultant: ConsultantRow; case: RegistrationCase; registeredAt: Date }

/** Where each case leaves the person: kind and status, and the status it may come from. */
const MOVES: Partial<Record<RegistrationCase, { kind: PersonKind; status: PersonStatus; reason: string }>> = {
  'customer-to-consultant': { kind: 'consultant', status: 'pre-registered', reason: 'customer registering as a consultant' },
  'consultant-to-customer': { kind: 'customer', status: 'active', reason: 'consultant going back to customer' },
  'returning-consultant': { kind: 'consultant', status: 'pre-registered', reason: 'inactive consultant registering again' },
};

export function createConsultantStore(db: Knex) {
  async function registered(trx: Knex | Knex.Transaction, key: string): Promise<Registered | undefined> {
    const done = await trx('consultant_registrations').where({ idempotency_key: key }).first();
    if (!done) return undefined;
    return { consultant: await trx('consultants').where({ id: done.consultant_id }).first(), case: done.case, registeredAt: done.created_at };
  }

  return {
    async byId(id: string): Promise<ConsultantRow | undefined> {
      return db('consultants').where({ id }).first();
    },

    /** The consultant record of a back-office account (a leader who signs in). */
    async byUsername(username: string): Promise<ConsultantRow | undefined> {
      return db('consultants').where({ username }).whereNot({ status: 'rejected' }).first();
    },

    /** Newest first, by the list's filters; `sponsorId` scopes it to one network. */
    async list(f: ConsultantFilter): Promise<{ rows: ConsultantRow[]; total: number }> {
      const q = db('consultants');
      if (f.status) q.where({ status: f.status });
      if (f.kind) q.where({ kind: f.kind });
      if (f.zone) q.where({ zone: f.zone });
      if (f.sponsorId) q.where({ sponsor_id: f.sponsorId });
      if (f.registeredFrom) q.where('created_at', '>=', f.registeredFrom);
      if (f.registeredTo) q.where('created_at', '<', f.registeredTo);
      const [{ count }] = await q.clone().count<{ count: string }[]>('* as count');
      const rows = (await q.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(f.limit).offset(f.offset)) as ConsultantRow[];
      return { rows, total: Number(count) };
    },

    /** Every change of the person's state, oldest first. */
    async stateHistory(id: string): Promise<Array<{ from_status: string; to_status: string; reason: string | null; at: Date }>> {
      return db('status_changes').where({ entity: 'consultant', entity_id: id }).orderBy('id').select('from_status', 'to_status', 'reason', 'at');
    },

    async registrations(id: string): Promise<Array<{ case: string; register_as: string; channel: string; form_type: string; created_at: Date }>> {
      return db('consultant_registrations').where({ consultant_id: id }).orderBy('created_at').select('case', 'register_as', 'channel', 'form_type', 'created_at');
    },

    /** How many consultants the person sponsors, by status. */
    async network(id: string): Promise<Record<string, number>> {
      const rows = await db('consultants').where({ sponsor_id: id }).groupBy('status').select('status').count<{ status: string; count: string }[]>('* as count');
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
    },

    /** The person's live record (any kind, not a rejected registration). */
    async live(p: { country: string; documentType: string; documentNumber: string }): Promise<ConsultantRow | undefined> {
      return db('consultants')
        .where({ country: p.country.toUpperCase(), document_type: p.documentType, document_number: normalizeDocumentNumber(p.documentNumber) })
        .whereNot({ status: 'rejected' })
        .first();
    },

    /**
     * Registers the person once per key: a new record, the existing one moved on (kind and status, with
     * its status change), or nothing for one already registered. In one transaction, the live record
     * locked, so two registrations of one person never both create one.
     */
    async register(r: Registration): Promise<Registered> {
      return db.transaction(async (trx) => {
        const earlier = await registered(trx, r.key);
        if (earlier) return earlier;
        const p = r.person;
        const existing: ConsultantRow | undefined = await trx('consultants')
          .where({ country: p.country, document_type: p.document_type, document_number: p.document_number })
          .whereNot({ status: 'rejected' })
          .forUpdate()
          .first();
        const which = registrationCase(existing ?? null, r.registerAs);
        const details = { channel: r.channel, form_type: r.formType, ...(r.sponsorId ? { sponsor_id: r.sponsorId } : {}), documents: JSON.stringify(r.documents) };
        let consultant: ConsultantRow;
        if (!existing) {
          const customer = r.registerAs === 'customer';
          [consultant] = await trx('consultants')
            .insert({
              ...p, ...details, sponsor_id: r.sponsorId, kind: r.registerAs, status: customer ? 'active' : 'pre-registered', credit_limit: 0,
              ...(customer ? { activated_at: trx.fn.now() } : {}), instance_id: r.instanceId, idempotency_key: r.key,
            })
            .returning('*');
        } else if (MOVES[which]) {
          const move = MOVES[which]!;
          [consultant] = await trx('consultants')
            .where({ id: existing.id })
            .update({ kind: move.kind, status: move.status, ...details, email: p.email, name: p.name, phone: p.phone, zone: p.zone, instance_id: r.instanceId, updated_at: trx.fn.now() })
            .returning('*');
          await trx('status_changes').insert({
            entity: 'consultant', entity_id: existing.id, from_status: existing.status, to_status: move.status, reason: move.reason, instance_id: r.instanceId, idempotency_key: `${r.key}:status`,
          });
        } else {
          consultant = existing;
        }
        const [row] = await trx('consultant_registrations')
          .insert({ consultant_id: consultant.id, case: which, register_as: r.registerAs, channel: r.channel, form_type: r.formType, instance_id: r.instanceId, idempotency_key: r.key })
          .returning('created_at');
        return { consultant, case: which, registeredAt: row.created_at };
      });
    },
  };
}
