import type { Response } from 'express';
import { clientAddress } from '../auth/login-limits';
import { defineRoute, type RouteDef } from '../routing';
import { errorReply, IdParams, IntakeReceived } from '../shared-schemas';
import { FEATURE_ROLES } from '../../workflows/policy';
import { FollowUpBody, FollowUpSet, LeadFormSnippet, LeadNote, LeadNoteBody, LeadNoteList, WebLeadBody } from './schemas';
import { LEAD_RECEIVED_PAGE, type LeadService } from './service';

/** The media types the web-to-lead endpoint takes: JSON from a script, or a plain HTML form's post. */
export const WEB_LEAD_TYPES = ['application/json', 'application/x-www-form-urlencoded'];

export function leadRoutes(leads: LeadService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/public/leads',
      summary: "Seed 001's web-to-lead (public, limited per address): a lead from the company website starts its lead-to-customer process; the same e-mail again reaches the lead already open",
      tag: 'leads',
      auth: 'public',
      body: WebLeadBody,
      bodyTypes: WEB_LEAD_TYPES,
      responses: {
        202: { description: 'Received (the same answer when this e-mail already has an open lead)', schema: IntakeReceived },
        303: { description: `A form post: received, and the browser goes on to ${LEAD_RECEIVED_PAGE}` },
        400: errorReply('A body that does not match: `details` name each field'),
        429: errorReply('Too many submissions from this address (`too_many_submissions`); Retry-After says when to try again'),
      },
      handler: async ({ body, req }) => {
        const received = await leads.receive(body, clientAddress(req));
        if (!req.is('application/x-www-form-urlencoded')) return received;
        (req.res as Response).redirect(303, LEAD_RECEIVED_PAGE);
        return undefined;
      },
      status: () => 202,
    }),
    defineRoute({
      method: 'get',
      path: '/api/leads/form-snippet',
      summary: 'The web-to-lead form as HTML to paste into the company website',
      tag: 'leads',
      auth: { roles: FEATURE_ROLES.leadForm },
      responses: { 200: { description: 'The snippet and where it posts', schema: LeadFormSnippet } },
      handler: async () => leads.snippet(),
    }),
    defineRoute({
      method: 'post',
      path: '/api/leads/:id/notes',
      summary: "A note on a lead (seed 001): its own record, with its author and time; it stays with the customer after conversion",
      tag: 'leads',
      auth: { roles: FEATURE_ROLES.leadNotes },
      params: IdParams,
      body: LeadNoteBody,
      responses: { 201: { description: 'The note', schema: LeadNote }, 404: errorReply('No lead-to-customer process with this id') },
      handler: ({ params, body, user }) => leads.addNote(user, params.id, body.body),
    }),
    defineRoute({
      method: 'post',
      path: '/api/leads/:id/follow-ups',
      summary: "A follow-up on a lead (seed 001): a task in the salesperson's own inbox, due when they say; overdue then, and escalated to admin as a reminder",
      tag: 'leads',
      auth: { roles: FEATURE_ROLES.leadNotes },
      params: IdParams,
      body: FollowUpBody,
      responses: {
        202: { description: 'Set: the task is in the inbox', schema: FollowUpSet },
        404: errorReply('No lead-to-customer process with this id'),
        409: errorReply('The lead is closed (`lead_closed`)'),
      },
      handler: ({ params, body, user }) => leads.addFollowUp(user, params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/leads/:id/notes',
      summary: "A lead's notes, newest first",
      tag: 'leads',
      auth: { roles: FEATURE_ROLES.leadNotes },
      params: IdParams,
      responses: { 200: { description: 'The notes', schema: LeadNoteList }, 404: errorReply('No lead-to-customer process with this id') },
      handler: ({ params }) => leads.notes(params.id),
    }),
  ];
}
