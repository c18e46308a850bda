/**
 * `engine.sendTaskLink`: the link a participant task e-mails when it opens. Idempotent by the task id
 * (task_links.idempotency_key is unique): a retried or replayed call finds the first link and queues no
 * second e-mail (lib/task-links/store.ts).
 */
import type { Knex } from 'knex';
import type { EngineActivities } from '../context';
import { LANGUAGES } from '../../lib/mail/templates';
import { createTaskLinkStore } from '../../lib/task-links/store';
import { checkEmail, invalid } from '../domain/support';

export function createTaskLinkActivities({ db, publicUrl }: { db: Knex; publicUrl: string }): Pick<EngineActivities, 'engine.sendTaskLink'> {
  const links = createTaskLinkStore(db);
  return {
    async 'engine.sendTaskLink'(l) {
      // A bad address or language is the definition's data at fault: no retry can fix it.
      checkEmail('participant.email', l.email);
      if (!(LANGUAGES as readonly string[]).includes(l.language)) throw invalid('participant.language', `must be one of ${LANGUAGES.join(', ')}, got '${l.language}'`);
      const { link } = await links.issue({
        idempotencyKey: l.taskId,
        taskId: l.taskId,
        instanceId: l.instanceId,
        email: l.email,
        name: l.name,
        language: l.language,
        expiresAt: l.expiresAt,
        createdBy: 'system',
        title: l.title,
        publicUrl,
      });
      return { linkId: link.id };
    },
  };
}
