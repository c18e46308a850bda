/**
 * `cauce`: the operator CLI. Everything but `validate` goes through the HTTP API
 * (`--api` / CAUCE_API, default http://127.0.0.1:3000) with the token saved by `cauce login`
 * (~/.config/cauce/token) or CAUCE_TOKEN. `--json` prints the API's JSON as is.
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { formatDefinitionError, type DefinitionError } from '../lib/definitions/errors';
import { validatePath } from '../lib/definitions/validate';
import { cell, table, when } from './format';
import type { CommandContext, Io } from './context';
import { ApiError, createHttp, DEFAULT_API, forgetToken, query, saveToken, type Http } from './http';
import { registerAccountCommands } from './accounts';
import { registerImportCommands } from './imports';
import { registerIncidentCommands } from './incidents';
import { registerReconcileCommand } from './reconcile';
import { registerReportCommands } from './reports';

const consoleIo: Io = { out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n') };

/** `{"a":1}` or `@vars.json`. */
export function jsonArg(value: string, what: string): Record<string, unknown> {
  const text = value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${what} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${what} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

class UsageError extends Error {}

export function buildProgram(io: Io = consoleIo): Command {
  const program = new Command('cauce')
    .description('Operate Cauce: validate and deploy definitions, start and inspect processes, work tasks')
    .addOption(new Option('--api <url>', 'API base URL').env('CAUCE_API').default(DEFAULT_API))
    .option('--json', 'print raw JSON')
    .showHelpAfterError()
    .exitOverride();

  const http = (): Http => createHttp(program.opts().api);
  const json = () => !!program.opts().json;
  const print = (data: unknown, plain: () => string) => io.out(json() ? JSON.stringify(data, null, 2) : plain());
  /** A page of a list (`{ items, total }`) as a table and an `n of total` line. */
  const printPage = (res: { items: unknown[]; total: number }, rows: Array<Record<string, unknown>>, columns: string[]) =>
    print(res, () => `${table(rows, columns)}\n${res.items.length} of ${res.total}`);

  program
    .command('login')
    .description('sign in and store the token')
    .requiredOption('-u, --username <username>')
    .requiredOption('-p, --password <password>')
    .action(async (o: { username: string; password: string }) => {
      const res = await http()('POST', '/api/auth/login', { body: { username: o.username, password: o.password }, auth: false });
      const file = saveToken(res.token);
      print({ user: res.user, expiresAt: res.expiresAt, tokenFile: file }, () => `Signed in as ${res.user.username} (${res.user.roles.join(', ')}) until ${when(res.expiresAt)}; token in ${file}`);
    });

  program
    .command('logout')
    .description('end the session and forget the stored token')
    .action(async () => {
      await http()('POST', '/api/auth/logout').catch(() => undefined);
      forgetToken();
      print({ ok: true }, () => 'Signed out');
    });

  program
    .command('validate <path>')
    .description('validate a definition file or folder locally (no server needed)')
    .action(async (target: string) => {
      const results = await validatePath(target);
      const errors: DefinitionError[] = results.flatMap((r) => r.errors);
      if (json()) io.out(JSON.stringify(results, null, 2));
      else {
        for (const e of errors) io.err(formatDefinitionError(e));
        const n = results.length;
        io.out(errors.length ? `${errors.length} problem(s) in ${results.filter((r) => r.errors.length).length} of ${n} file(s)` : `ok: ${n} file(s) valid`);
      }
      if (errors.length) throw new ExitWith(1);
    });

  program
    .command('deploy <file>')
    .description('deploy a definition (a new version, or the existing one if unchanged)')
    .action(async (file: string) => {
      const content = readFileSync(file, 'utf8');
      const res = await http()('POST', `/api/definitions${query({ file })}`, { text: { content, type: 'application/yaml' } });
      print(res, () => `${res.created ? 'Deployed' : 'Unchanged'}: ${res.id} v${res.version} (${res.hash.slice(0, 12)})`);
    });

  program
    .command('definitions')
    .description('list deployed definitions')
    .action(async () => {
      const res = await http()('GET', '/api/definitions');
      print(res, () => table(res.items.map((d: any) => ({ ...d, deployedAt: when(d.deployedAt) })), ['id', 'latestVersion', 'name', 'deployedAt']));
    });

  program
    .command('start <definitionId>')
    .description('start a process instance')
    .requiredOption('-k, --business-key <key>', 'business key (one running instance per key)')
    .requiredOption('--vars <json>', 'start variables: JSON or @file.json')
    .option('--version <n>', 'definition version (default latest)', (v) => Number.parseInt(v, 10))
    .action(async (definitionId: string, o: { businessKey: string; vars: string; version?: number }) => {
      const body = { definitionId, businessKey: o.businessKey, variables: jsonArg(o.vars, '--vars'), ...(o.version ? { version: o.version } : {}) };
      const res = await http()('POST', '/api/processes', { body });
      print(res, () => `Started ${res.definitionId} v${res.version}: ${res.id}`);
    });

  program
    .command('list')
    .description('list process instances')
    .option('--definition <id>')
    .option('--status <status>', 'running | completed | cancelled | failed | terminated | timed_out')
    .option('--stage <stage>')
    .option('--business-key <key>')
    .option('--limit <n>', 'page size (max 200)', '50')
    .option('--offset <n>', 'skip', '0')
    .action(async (o: Record<string, string | undefined>) => {
      const res = await http()(
        'GET',
        `/api/processes${query({ definitionId: o.definition, status: o.status, stage: o.stage, businessKey: o.businessKey, limit: o.limit, offset: o.offset })}`,
      );
      const rows = res.items.map((p: any) => ({ ...p, definition: `${p.definitionId} v${p.version}`, startedAt: when(p.startedAt) }));
      printPage(res, rows, ['id', 'definition', 'businessKey', 'status', 'stage', 'startedAt']);
    });

  program
    .command('show <id>')
    .description('show one process instance with its live state')
    .action(async (id: string) => {
      const p = await http()('GET', `/api/processes/${encodeURIComponent(id)}`);
      print(p, () => {
        const lines = [
          `id:          ${p.id}`,
          `definition:  ${p.definitionId} v${p.version}`,
          `businessKey: ${p.businessKey}`,
          `status:      ${p.status}${p.outcome ? ` (${p.outcome})` : ''}${p.live ? '' : '  [from database; workflow state not available]'}`,
          `stage:       ${cell(p.stage)}`,
          `started:     ${when(p.startedAt)} by ${p.startedBy}${p.endedAt ? `, ended ${when(p.endedAt)}` : ''}`,
        ];
        if (p.currentSteps) lines.push(`steps:       ${cell(p.currentSteps)}`);
        if (p.temporalUiUrl) lines.push(`temporal ui: ${p.temporalUiUrl}`);
        lines.push('', 'tasks:', table((p.tasks ?? []).map((t: any) => ({ ...t, dueAt: when(t.dueAt) })), ['id', 'title', 'candidateRoles', 'assignee', 'dueAt']));
        lines.push('', 'variables:', JSON.stringify(p.variables, null, 2));
        return lines.join('\n');
      });
    });

  program
    .command('history <id>')
    .description('timeline of a process instance: what happened to the sale (audit trail and steps)')
    .option('--technical', 'add the Temporal events: activities and their retries, timers, signals, updates')
    .action(async (id: string, o: { technical?: boolean }) => {
      const res = await http()('GET', `/api/processes/${encodeURIComponent(id)}/history${query({ view: o.technical ? 'technical' : undefined })}`);
      print(res, () =>
        res.items.map((e: any) => `${when(e.at)}  ${e.title}${e.actor && !String(e.title).includes(e.actor) ? ` [${e.actor}]` : ''}${e.stepId ? `  (${e.stepId})` : ''}`).join('\n') || '(empty)',
      );
    });

  program
    .command('event <id> <name>')
    .description('deliver an external event to a process')
    .requiredOption('--event-id <id>', 'idempotency id of the event')
    .option('--payload <json>', 'JSON or @file.json', '{}')
    .action(async (id: string, name: string, o: { eventId: string; payload: string }) => {
      const res = await http()('POST', `/api/processes/${encodeURIComponent(id)}/events/${encodeURIComponent(name)}`, {
        body: { eventId: o.eventId, payload: jsonArg(o.payload, '--payload') },
      });
      print(res, () => `Event ${name} (${o.eventId}) delivered to ${id}`);
    });

  program
    .command('cancel <id>')
    .description('cancel a running process')
    .requiredOption('--reason <text>')
    .action(async (id: string, o: { reason: string }) => {
      const res = await http()('POST', `/api/processes/${encodeURIComponent(id)}/cancel`, { body: { reason: o.reason } });
      print(res, () => `Cancellation of ${id} requested`);
    });

  program
    .command('tasks')
    .description('your inbox (open tasks for your roles or assigned to you)')
    .option('--role <role>')
    .option('--status <status>', 'open | completed | cancelled | all', 'open')
    .option('--assignee <user>', 'a username or `me`')
    .option('--process <id>')
    .option('--limit <n>', 'page size (max 200)', '50')
    .action(async (o: Record<string, string | undefined>) => {
      const res = await http()('GET', `/api/tasks${query({ role: o.role, status: o.status, assignee: o.assignee, processId: o.process, limit: o.limit })}`);
      const rows = res.items.map((t: any) => ({ ...t, due: t.dueAt ? `${when(t.dueAt)}${t.overdue ? ' OVERDUE' : ''}` : '-', roles: t.candidateRoles }));
      printPage(res, rows, ['id', 'title', 'businessKey', 'roles', 'assignee', 'outcomes', 'due']);
    });

  for (const [action, description, done] of [
    ['claim', 'claim a task', 'Claimed'],
    ['release', 'give a claimed task back', 'Released'],
  ] as const) {
    program
      .command(`${action} <taskId>`)
      .description(description)
      .action(async (taskId: string) => {
        const res = await http()('POST', `/api/tasks/${encodeURIComponent(taskId)}/${action}`);
        print(res, () => `${done} ${taskId}`);
      });
  }

  program
    .command('complete <taskId>')
    .description('complete a task')
    .requiredOption('--outcome <outcome>')
    .option('--data <json>', 'form data: JSON or @file.json', '{}')
    .action(async (taskId: string, o: { outcome: string; data: string }) => {
      const res = await http()('POST', `/api/tasks/${encodeURIComponent(taskId)}/complete`, { body: { outcome: o.outcome, data: jsonArg(o.data, '--data') } });
      print(res, () => `Completed ${taskId}: ${res.outcome} by ${res.completedBy}`);
    });

  const context: CommandContext = { http, json, print, io, tty: io === consoleIo && !!process.stdout.isTTY, exitWith: (code) => new ExitWith(code) };
  registerReportCommands(program, context);
  registerAccountCommands(program, context);
  registerImportCommands(program, context);
  registerReconcileCommand(program, context);
  registerIncidentCommands(program, context);

  return program;
}

function describeDetails(details: unknown): string[] {
  if (!Array.isArray(details)) return details && typeof details === 'object' ? [JSON.stringify(details)] : [];
  return details.map((d: any) => {
    if (d && typeof d.line === 'number') return formatDefinitionError(d);
    if (d && typeof d.path === 'string') return `  ${d.in ? `${d.in} ` : ''}${d.path}: ${d.message}`;
    return `  ${JSON.stringify(d)}`;
  });
}

/** A command that already printed its result and only needs a non-zero exit code. */
class ExitWith extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export async function main(argv: string[] = process.argv, io: Io = consoleIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof ExitWith) return err.code;
    const e = err as { code?: string; exitCode?: number };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) return e.exitCode ?? 1; // commander already printed it
    if (err instanceof ApiError) {
      io.err(`error: ${err.message}${err.status ? ` (HTTP ${err.status} ${err.code})` : ''}`);
      for (const line of describeDetails(err.details)) io.err(line);
      return 1;
    }
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}`);
      return 2;
    }
    io.err(`error: ${(err as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}

