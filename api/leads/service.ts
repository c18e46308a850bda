/**
 * Seed 001's web-to-lead: the company website's form starts a lead-to-customer process with no staff
 * token, through the one public intake (limited per address, honeypot, one lead per e-mail).
 */
import { randomUUID } from 'node:crypto';
import { LEAD_FOLLOW_UP, LEAD_TO_CUSTOMER, webLeadKey } from '../../domain/lead-to-customer';
import { appUrl, publicUrlOf } from '../../lib/config';
import type { AppDeps } from '../deps';
import type { ProcessService } from '../processes/service';
import { createPublicIntake } from '../public-intake';
import { conflict, notFound } from '../errors';
import { createProcessStore } from '../processes/store';
import { createLeadNoteStore, type LeadNoteRow } from '../../lib/lead-notes';
import { toIso } from '../../lib/time';
import type { SessionUser } from '../types';
import type { FollowUpBody, WebLeadBody } from './schemas';

/** Where a browser lands after posting the embedded form. */
export const LEAD_RECEIVED_PAGE = '/portal/lead-received';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function createLeadService(deps: Pick<AppDeps, 'db' | 'config'>, processes: ProcessService) {
  const intake = createPublicIntake(deps, processes);
  const action = appUrl(publicUrlOf(deps.config), '/api/public/leads');
  const notes = createLeadNoteStore(deps.db);
  const leadProcesses = createProcessStore(deps.db);

  /** The lead's process (any status: a converted customer's notes are read too); 404 for anything else. */
  async function leadInstance(processId: string) {
    const instance = await leadProcesses.get(processId);
    if (!instance || instance.definition_id !== LEAD_TO_CUSTOMER) throw notFound(`No lead ${processId}`, { processId });
    return instance;
  }
  const requireLead = async (processId: string) => (await leadInstance(processId)).id;
  const present = (n: LeadNoteRow) => ({ id: n.id, processId: n.process_id, author: n.author, body: n.body, createdAt: toIso(n.created_at)! });

  return {
    async receive(body: WebLeadBody, address: string) {
      // A form posts its empty fields as empty strings: they are fields left out.
      const given = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
      const company = given(body.company);
      const message = given(body.message);
      return intake(address, {
        honeypot: body.website,
        channel: 'web-form',
        definitionId: LEAD_TO_CUSTOMER,
        businessKey: webLeadKey(body.email),
        variables: {
          contact: { name: body.name.trim(), email: body.email.trim(), ...(given(body.phone) ? { phone: given(body.phone) } : {}) },
          ...(company ? { company: { name: company } } : {}),
          ...(message ? { message } : {}),
          source: 'web-form',
        },
      });
    },

    async addNote(user: SessionUser, processId: string, body: string) {
      return present(await notes.add(await requireLead(processId), user.username, body));
    },

    async notes(processId: string) {
      return { items: (await notes.list(await requireLead(processId))).map(present) };
    },

    /** A follow-up task on the lead, in the salesperson's own inbox, due when they say. */
    async addFollowUp(user: SessionUser, processId: string, body: FollowUpBody) {
      const lead = await leadInstance(processId);
      if (lead.status !== 'running') throw conflict('lead_closed', `Lead ${processId} is ${lead.status}: follow-ups are set on open leads`, { processId, status: lead.status });
      const v = lead.variables as { contact?: { name?: string }; company?: { name?: string } };
      const variables = {
        leadId: lead.id, lead: `${v.contact?.name ?? lead.business_key}${v.company?.name ? ` (${v.company.name})` : ''}`,
        title: body.title, dueAt: body.dueAt, ...(body.notes ? { notes: body.notes } : {}), owner: user.username,
      };
      const { opened } = await processes.open(user, { definitionId: LEAD_FOLLOW_UP, businessKey: randomUUID(), variables }, { messageId: `follow-up:${randomUUID()}`, actor: user.username }, { internal: true });
      return { followUpId: opened.instanceId, leadId: lead.id, dueAt: body.dueAt };
    },

    /** The form a website embeds: it posts to the public endpoint, with the honeypot hidden from people. */
    snippet() {
      const html = [
        `<form action="${escapeHtml(action)}" method="post" accept-charset="utf-8">`,
        '  <label>Nombre <input name="name" required maxlength="200" autocomplete="name"></label>',
        '  <label>Correo <input name="email" type="email" required maxlength="254" autocomplete="email"></label>',
        '  <label>Empresa <input name="company" maxlength="200" autocomplete="organization"></label>',
        '  <label>Teléfono <input name="phone" maxlength="40" autocomplete="tel"></label>',
        '  <label>¿Qué necesitas? <textarea name="message" maxlength="2000"></textarea></label>',
        '  <input name="website" tabindex="-1" autocomplete="off" aria-hidden="true" style="position:absolute;left:-10000px">',
        '  <button type="submit">Quiero que me contacten</button>',
        '</form>',
      ].join('\n');
      return { html, action };
    },
  };
}

export type LeadService = ReturnType<typeof createLeadService>;
