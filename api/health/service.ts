/**
 * Liveness of the two things every request needs, Postgres and the Temporal namespace, which decide the
 * status; and of e-mail, which does not (requests work while mail waits in the outbox): whether the SMTP
 * relay (or the embedded sink) answers, and the outbox's backlog.
 */
import nodemailer from 'nodemailer';
import { outboxBacklog } from '../../lib/outbox-delivery';
import { redactedUrl } from '../../lib/config';
import type { AppDeps } from '../deps';

const CHECK_TIMEOUT_MS = 2_000;
const MAIL_CHECK_EVERY_MS = 15_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createHealthService({ db, temporal, config }: AppDeps) {
  // The relay the worker sends through; under `npm start` without SMTP_URL, the sink it runs.
  const relay = config.mail.smtpUrl ?? `smtp://127.0.0.1:${config.mail.sinkPort}`;
  const transport = config.mail.smtpUrl ? 'smtp' : 'sink';

  async function checkMail() {
    const url = new URL(relay);
    for (const [key, ms] of [['connectionTimeout', CHECK_TIMEOUT_MS], ['greetingTimeout', CHECK_TIMEOUT_MS], ['socketTimeout', CHECK_TIMEOUT_MS]] as const) url.searchParams.set(key, String(ms));
    const mailer = nodemailer.createTransport(url.toString());
    const [reachable, backlog] = await Promise.all([
      withTimeout(mailer.verify(), CHECK_TIMEOUT_MS + 500, 'the SMTP relay').then(
        () => ({ ok: true }),
        (err: Error) => ({ ok: false, error: err.message }),
      ),
      withTimeout(outboxBacklog(db), CHECK_TIMEOUT_MS, 'the outbox').catch(() => null),
    ]).finally(() => mailer.close());
    return { ...reachable, transport, relay: redactedUrl(relay), ...(backlog ? { outbox: backlog } : {}) };
  }

  // A load balancer may poll every second: the relay is asked at most every MAIL_CHECK_EVERY_MS, and a
  // probe gets the latest answer at once while a fresh one is on its way (only the first probe waits).
  type MailReport = Awaited<ReturnType<typeof checkMail>>;
  let latest: MailReport | undefined;
  let refreshing: Promise<MailReport> | undefined;
  let askedAt = 0;
  function mailReport(): Promise<MailReport> {
    if (!refreshing && Date.now() - askedAt >= MAIL_CHECK_EVERY_MS) {
      askedAt = Date.now();
      refreshing = checkMail()
        .catch((err: Error): MailReport => ({ ok: false, error: err.message, transport, relay: redactedUrl(relay) }))
        .then((report) => (latest = report))
        .finally(() => (refreshing = undefined));
    }
    return latest ? Promise.resolve(latest) : refreshing!;
  }

  return {
    async check() {
      const [database, temporalStatus, mail] = await Promise.all([
        withTimeout(db.raw('select 1'), CHECK_TIMEOUT_MS, 'database').then(
          () => ({ ok: true }),
          (err: Error) => ({ ok: false, error: err.message }),
        ),
        withTimeout(
          temporal.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
            temporal.workflowService.describeNamespace({ namespace: config.temporal.namespace }),
          ),
          CHECK_TIMEOUT_MS + 500,
          'temporal',
        ).then(
          () => ({ ok: true, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue }),
          (err: Error) => ({ ok: false, namespace: config.temporal.namespace, error: err.message }),
        ),
        mailReport(),
      ]);
      const status: 'ok' | 'unavailable' = database.ok && temporalStatus.ok ? 'ok' : 'unavailable';
      return { status, temporal: temporalStatus, database, mail };
    },
  };
}
