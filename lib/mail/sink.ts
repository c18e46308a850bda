/**
 * The local SMTP sink of the embedded default (`npm start`, and the tests): a real SMTP server
 * (`smtp-server`) that accepts every message, parses it (`mailparser`) and keeps it in
 * `mail_messages` for the "Sent mail" page. It never relays anything. In production `mail.smtpUrl`
 * points at a real relay and no sink runs.
 */
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createMailStore } from './store';

/** A message larger than this is refused (552): notifications are a few KiB. */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export interface MailSink {
  /** smtp://127.0.0.1:<port>, what the worker is given as SMTP_URL. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startMailSink({ db, host = '127.0.0.1', port = 0 }: { db: Knex; host?: string; port?: number }): Promise<MailSink> {
  const store = createMailStore(db);
  const server = new SMTPServer({
    // Local and plain: no TLS to negotiate, and any (or no) credentials are accepted.
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'sink' }),
    size: MAX_MESSAGE_BYTES,
    logger: false,
    banner: 'Cauce mail sink: messages are kept for the Sent mail page, never relayed',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error(`message larger than ${MAX_MESSAGE_BYTES} bytes`), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const cauce: Record<string, string> = {};
            for (const [key, value] of parsed.headers) if (key.startsWith('x-cauce-') && typeof value === 'string') cauce[key] = value;
            return store.insert({
              message_id: parsed.messageId?.replace(/^<|>$/g, '') ?? null,
              envelope_from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              envelope_to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              from_header: parsed.from?.text ?? null,
              to_header: addressText(parsed.to),
              subject: parsed.subject ?? null,
              text: parsed.text ?? null,
              html: typeof parsed.html === 'string' ? parsed.html : null,
              cauce_headers: cauce,
              attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size })),
              size: raw.length,
            });
          })
          // A database error is a temporary failure (451): the sender keeps the message and tries again.
          .then(() => callback(), (err: Error) => callback(Object.assign(new Error(`not stored: ${err.message}`), { responseCode: 451 })));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${host}:${bound}`,
    port: bound,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function addressText(to: AddressObject | AddressObject[] | undefined): string | null {
  if (!to) return null;
  return (Array.isArray(to) ? to : [to]).map((a) => a.text).join(', ');
}
