/** `cauce reconcile`: close the instances Temporal closed behind Cauce's back, and say which. */
import type { Command } from 'commander';
import type { CommandContext } from './context';
import { table } from './format';

interface ReconcileReport {
  checked: number;
  changed: Array<{ id: string; definitionId: string; businessKey: string; temporalStatus: string; status: string; reason: string | null; cancelledTasks: string[] }>;
  missing: Array<{ id: string; definitionId: string; businessKey: string; closed: boolean }>;
  errors: Array<{ id: string; message: string }>;
}

export function formatReconcile(r: ReconcileReport): string {
  const lines = [`Compared ${r.checked} running instance(s) with Temporal: ${r.changed.length} changed, ${r.missing.length} without a workflow, ${r.errors.length} error(s)`];
  if (r.changed.length) {
    const rows = r.changed.map((c) => ({ ...c, definition: c.definitionId, temporal: c.temporalStatus, tasks: c.cancelledTasks.length, reason: c.reason ?? '' }));
    lines.push('', table(rows, ['id', 'definition', 'businessKey', 'temporal', 'status', 'tasks', 'reason']));
  }
  if (r.missing.length) {
    lines.push('', table(r.missing.map((m) => ({ ...m, definition: m.definitionId, closed: m.closed ? 'closed as failed' : 'kept (--close-missing closes)' })), ['id', 'definition', 'businessKey', 'closed']));
  }
  if (r.errors.length) lines.push('', table(r.errors, ['id', 'message']));
  return lines.join('\n');
}

export function registerReconcileCommand(program: Command, { http, print, exitWith }: CommandContext): void {
  program
    .command('reconcile')
    .description('make instance statuses follow Temporal (e.g. after `temporal workflow terminate`); admin only')
    .option('--close-missing', 'also close, as failed, running instances whose workflow Temporal does not know')
    .action(async (o: { closeMissing?: boolean }) => {
      const res: ReconcileReport = await http()('POST', '/api/admin/reconcile', { body: { closeMissing: !!o.closeMissing } });
      print(res, () => formatReconcile(res));
      if (res.errors.length) throw exitWith(1);
    });
}
