/**
 * The operator CLI (`cli/main.ts`, run in-process with captured output) against the real app and a
 * real worker: local validation, then login, start, tasks, complete, show, history and errors.
 */
import path from 'node:path';
import { main } from '../../cli/main';
import { eventually, startApiStack, type ApiStack } from '../support/api';
import { runCli, useCliEnvironment, type CliRun } from '../support/cli';

let stack: ApiStack;
const ROOT = path.join(__dirname, '..', '..');
const passwords: Record<string, string> = { 'cli-admin': 'cli-admin-password', 'cli-sales': 'cli-sales-password' };

// The CLI stores its token under $XDG_CONFIG_HOME/cauce: keep it away from the real home, and start signed out.
useCliEnvironment();

beforeAll(async () => {
  stack = await startApiStack('cli');
  await stack.addUser('cli-admin', ['admin']);
  await stack.addUser('cli-sales', ['sales']);
});

afterAll(async () => {
  await stack?.close();
});

/** Runs `cauce <args>` in-process against this file's stack. */
const cauce = (...args: string[]): Promise<CliRun> => runCli(stack.baseUrl, ...args);

const login = (user: string) => cauce('login', '-u', user, '-p', passwords[user]);

describe('validate (local, no server)', () => {
  test('the shipped definitions are valid: exit 0', async () => {
    const run = await cauce('validate', path.join(ROOT, 'definitions'));
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toMatch(/^ok: \d+ file\(s\) valid$/);
  });

  test('a broken file: exit 1 and file:line:col: message', async () => {
    const file = path.join(ROOT, 'test/fixtures/broken/unknown-activity.yaml');
    const run = await cauce('validate', file);
    expect(run.code).toBe(1);
    expect(run.err.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:17:15: .*unknown activity 'accounts\\.createTrail'`)));
    expect(run.out).toBe('1 problem(s) in 1 of 1 file(s)');
  });

  test('main() called twice in one process: a valid run after a failed one exits 0', async () => {
    const io = { out: () => undefined, err: () => undefined };
    expect(await main(['node', 'cauce', 'validate', path.join(ROOT, 'test/fixtures/broken/unknown-activity.yaml')], io)).toBe(1);
    expect(await main(['node', 'cauce', 'validate', path.join(ROOT, 'definitions')], io)).toBe(0);
    expect(process.exitCode ?? 0).toBe(0);
  });
});

describe('against the API', () => {
  test('without signing in, commands fail with a hint', async () => {
    const run = await cauce('tasks');
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/Not signed in: run `cauce login/);
  });

  test('a bad password is reported as HTTP 401', async () => {
    const run = await cauce('login', '-u', 'cli-sales', '-p', 'wrong');
    expect(run.code).toBe(1);
    expect(run.err).toContain('(HTTP 401 unauthorized)');
  });

  test('login, start, tasks, complete, show and history', async () => {
    const signedIn = await login('cli-admin');
    expect(signedIn.code).toBe(0);
    expect(signedIn.out).toMatch(/^Signed in as cli-admin \(admin\) until .*; token in .*cauce[/\\]token$/);

    const vars = { email: 'cli@panaderia.cl', rut: '76.086.428-5', name: 'Panadería CLI SpA', planCode: 'trial-pyme', channel: 'ecommerce', addons: ['remuneraciones'] };
    const started = await cauce('start', 'trial-lifecycle', '-k', 'cli-trial-1', '--vars', JSON.stringify(vars));
    expect(started).toMatchObject({ code: 0, err: '' });
    const id = /^Started trial-lifecycle v1: (\S+)$/.exec(started.out)?.[1];
    expect(id).toBeDefined();

    // Starting again with the same key: the API's 409 as a readable error.
    const duplicate = await cauce('start', 'trial-lifecycle', '-k', 'cli-trial-1', '--vars', JSON.stringify(vars));
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toContain('(HTTP 409 duplicate_business_key)');
    // Bad variables: each problem on its own line with its path.
    const invalid = await cauce('start', 'trial-lifecycle', '-k', 'cli-trial-2', '--vars', JSON.stringify({ ...vars, rut: 'x' }));
    expect(invalid.code).toBe(1);
    expect(invalid.err).toContain('(HTTP 422 invalid_variables)');
    expect(invalid.err).toMatch(/variables \/rut: /);
    // Not JSON at all: a usage error, before any request.
    expect(await cauce('start', 'trial-lifecycle', '-k', 'cli-trial-3', '--vars', '{nope')).toMatchObject({ code: 2, err: expect.stringContaining('--vars is not valid JSON') });

    expect((await login('cli-sales')).code).toBe(0);
    const inbox = await eventually(() => cauce('tasks', '--process', id!), (r) => r.code === 0 && r.out.includes('firstContact'), 'the task in the CLI inbox');
    const [header, ...rows] = inbox.out.split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['ID', 'TITLE', 'BUSINESSKEY', 'ROLES', 'ASSIGNEE', 'OUTCOMES', 'DUE']);
    expect(rows.at(-1)).toBe('1 of 1');
    expect(rows[0]).toContain('First effective contact: Panadería CLI SpA (76.086.428-5)');
    expect(rows[0]).toContain('cli-trial-1');
    expect(rows[0]).toMatch(/sales,dcs/);
    const taskId = /^(\S+:firstContact:\d+)\s/.exec(rows[0])?.[1];
    expect(taskId).toBeDefined();

    const wrongOutcome = await cauce('complete', taskId!, '--outcome', 'won');
    expect(wrongOutcome.code).toBe(1);
    expect(wrongOutcome.err).toContain('(HTTP 422 UnknownOutcome)');

    const done = await cauce('complete', taskId!, '--outcome', 'contacted', '--data', JSON.stringify({ medium: 'whatsapp', crmChecked: true }));
    expect(done).toMatchObject({ code: 0, err: '' });
    expect(done.out).toBe(`Completed ${taskId}: contacted by cli-sales`);
    const again = await cauce('complete', taskId!, '--outcome', 'contacted', '--data', JSON.stringify({ medium: 'whatsapp', crmChecked: true }));
    expect(again.code).toBe(1);
    expect(again.err).toContain('(HTTP 409 TaskNotOpen)');
    expect((await cauce('tasks', '--process', id!)).out).toBe('(none)\n0 of 0');

    const shown = await eventually(() => cauce('show', id!), (r) => r.code === 0 && /^steps:\s+trialPeriod,awaitFirstReminder$/m.test(r.out), 'the process waiting for its payment');
    expect(shown.out).toMatch(new RegExp(`^id:\\s+${id}$`, 'm'));
    expect(shown.out).toMatch(/^definition:\s+trial-lifecycle v1$/m);
    expect(shown.out).toMatch(/^businessKey:\s+cli-trial-1$/m);
    expect(shown.out).toMatch(/^status:\s+running$/m);
    expect(shown.out).toMatch(/^stage:\s+conversion-to-account$/m);
    expect(shown.out).toMatch(/^started:\s+.* by cli-admin$/m);
    expect(shown.out).toContain('"contact": {');

    const json = await cauce('--json', 'show', id!);
    expect(JSON.parse(json.out)).toMatchObject({ id, status: 'running', live: true, variables: { contact: { outcome: 'contacted', completedBy: 'cli-sales' } } });

    // The business trail by default; --technical adds the Temporal events (the activity that made the account).
    const timeline = async (...args: string[]) => {
      const history = await cauce('history', ...args);
      expect(history.code).toBe(0);
      const lines = history.out.split('\n');
      for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}\S/);
      const at = (re: RegExp) => {
        const i = lines.findIndex((l) => re.test(l));
        if (i < 0) throw new Error(`no history line matching ${re}:\n${history.out}`);
        return i;
      };
      return { lines, at };
    };
    const business = await timeline(id!);
    const order = [
      business.at(/Process started: trial-lifecycle v1 \(cli-trial-1\)/),
      business.at(/Stage: conversion-to-account/),
      business.at(/Task 'First effective contact: .*' created for sales, dcs/),
      business.at(/Task completed by cli-sales: contacted/),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(business.lines.filter((l) => /accounts\.createTrial/.test(l))).toEqual([]);
    const technical = await timeline(id!, '--technical');
    const steps = [technical.at(/Process started: trial-lifecycle v1 \(cli-trial-1\)/), technical.at(/accounts\.createTrial completed\s+\(createAccount\)/), technical.at(/Stage: conversion-to-account/)];
    expect(steps).toEqual([...steps].sort((a, b) => a - b));

    // The operator ends it.
    expect((await login('cli-admin')).code).toBe(0);
    expect(await cauce('cancel', id!, '--reason', 'cli test done')).toMatchObject({ code: 0, out: `Cancellation of ${id} requested` });
    await eventually(() => cauce('show', id!), (r) => /^status:\s+cancelled$/m.test(r.out), 'the cancellation');
    // `show` reads the workflow's live state; `list` reads the Postgres projection, written by the
    // finishing activity a moment later.
    await eventually(
      () => cauce('list', '--definition', 'trial-lifecycle', '--status', 'cancelled'),
      (r) => r.out.includes(id!),
      'the cancelled instance in the list',
    );
  });

  test('account create, payment (twice) and account show', async () => {
    expect((await login('cli-admin')).code).toBe(0);
    const created = await cauce('--json', 'account', 'create', '--kind', 'trial', '--email', 'cli@almacen.cl', '--rut', '11.111.111-1', '--name', 'Almacén CLI', '--addons', '');
    expect(created.code).toBe(0);
    const { accountId } = JSON.parse(created.out);
    const badRut = await cauce('account', 'create', '--kind', 'trial', '--email', 'cli2@almacen.cl', '--rut', '11.111.111-2', '--name', 'x');
    expect(badRut.code).toBe(1);
    expect(badRut.err).toContain('rut:');

    const paid = await cauce('payment', '--account', accountId, '--amount', '29990', '--transaction', 'cli-tx-1');
    expect(paid).toMatchObject({ code: 0, out: expect.stringMatching(/^Payment delivered: account /) });
    const again = await cauce('payment', '--account', accountId, '--amount', '29990', '--transaction', 'cli-tx-1');
    expect(again).toMatchObject({ code: 0, out: expect.stringMatching(/^Duplicate delivery \(nothing new\)/) });

    const shown = await eventually(() => cauce('account', 'show', accountId), (r) => /payment=paid/.test(r.out), 'the account paid');
    expect(shown.out).toMatch(/^states: +conversion=converted payment=paid activation=active operation=operating$/m);
    expect(shown.out).toMatch(/first-period +29990/);
  });

  test('an unreachable API is a readable error', async () => {
    const run = await runCli('http://127.0.0.1:1', 'login', '-u', 'cli-admin', '-p', 'x');
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/Cannot reach the API at http:\/\/127\.0\.0\.1:1/);
  });
});
