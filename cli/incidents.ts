/** `cauce incidents`, `cauce incident retry|cancel|terminate <id>`: operators' work on stopped instances. */
import type { Command } from 'commander';
import type { CommandContext } from './context';
import { table } from './format';

interface Incident {
  id: string;
  processId: string;
  definitionId: string;
  businessKey: string;
  source: string;
  stepId: string | null;
  type: string;
  message: string;
  location: { path: string; file: string | null; line: number | null; column: number | null } | null;
  status: string;
  resolution: string | null;
  resolvedBy: string | null;
  raisedAt: string;
}

const where = (i: Incident) => (i.location?.file ? `${i.location.file}:${i.location.line}:${i.location.column}` : (i.location?.path ?? ''));

export function formatIncident(i: Incident): string {
  return [
    `Incident ${i.id} (${i.status}${i.resolution ? `: ${i.resolution} by ${i.resolvedBy}` : ''})`,
    `  process  ${i.processId} (${i.definitionId}, ${i.businessKey})`,
    `  step     ${i.stepId ?? '(workflow task)'}`,
    `  raised   ${i.raisedAt}`,
    `  ${i.type}: ${i.message}`,
    ...(i.location ? [`  at       ${where(i)} (${i.location.path})`] : []),
  ].join('\n');
}

export function registerIncidentCommands(program: Command, { http, print }: CommandContext): void {
  program
    .command('incidents')
    .description('incidents: steps stopped until an operator acts (open ones by default); admin only')
    .option('--all', 'resolved ones too')
    .option('--process <id>', 'only this instance')
    .action(async (o: { all?: boolean; process?: string }) => {
      const query = new URLSearchParams({ status: o.all ? 'all' : 'open', limit: '200', ...(o.process ? { processId: o.process } : {}) });
      const res: { items: Incident[]; total: number } = await http()('GET', `/api/incidents?${query}`);
      print(res, () =>
        table(
          res.items.map((i) => ({ ...i, step: i.stepId ?? '(task)', at: where(i), raised: i.raisedAt })),
          ['id', 'status', 'definitionId', 'businessKey', 'step', 'type', 'at', 'raised'],
        ),
      );
    });

  const incident = program.command('incident').description('act on one incident; admin only');
  incident
    .command('show <id>')
    .action(async (id: string) => {
      const res: Incident = await http()('GET', `/api/incidents/${encodeURIComponent(id)}`);
      print(res, () => formatIncident(res));
    });
  incident
    .command('retry <id>')
    .description('run the stopped step again')
    .action(async (id: string) => {
      const res: Incident = await http()('POST', `/api/incidents/${encodeURIComponent(id)}/retry`);
      print(res, () => `Retried ${id}: step ${res.stepId} of ${res.processId} runs again`);
    });
  for (const action of ['cancel', 'terminate'] as const) {
    incident
      .command(`${action} <id>`)
      .description(action === 'cancel' ? "cancel the incident's instance (its onCancel step runs)" : "terminate the incident's instance in Temporal at once (no onCancel step)")
      .option('--reason <text>', 'why, for the audit trail')
      .action(async (id: string, o: { reason?: string }) => {
        const res: { id: string } = await http()('POST', `/api/incidents/${encodeURIComponent(id)}/${action}`, { body: o.reason ? { reason: o.reason } : {} });
        print(res, () => `${action === 'cancel' ? 'Cancellation requested for' : 'Terminated'} ${res.id}`);
      });
  }
}
