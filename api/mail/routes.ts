import { defineRoute, type RouteDef } from '../routing';
import { errorReply, UuidParams } from '../shared-schemas';
import { ListMailQuery, MailList, MailMessage } from './schemas';
import type { MailService } from './service';

export function mailRoutes(mail: MailService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/mail',
      summary: 'Messages the embedded SMTP sink received, newest first; operators only',
      tag: 'mail',
      auth: 'admin',
      query: ListMailQuery,
      responses: { 200: { description: 'A page of received messages', schema: MailList } },
      handler: ({ query }) => mail.list(query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/mail/:id',
      summary: 'One received message with its text and HTML; operators only',
      tag: 'mail',
      auth: 'admin',
      params: UuidParams,
      responses: { 200: { description: 'The message', schema: MailMessage }, 404: errorReply('Unknown message') },
      handler: ({ params }) => mail.get(params.id),
    }),
  ];
}
