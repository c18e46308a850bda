/** `cauce account …` and `cauce payment`: digital accounts (seed 000) through the API. */
import type { Command } from 'commander';
import type { CommandContext } from './context';
import { table, when } from './format';

interface AccountDetail {
  id: string; email: string; rut: string; name: string; kind: string; planCode: string; source: string; basePrice: number; currency: string;
  states: Record<string, string>; trialEndsAt: string | null; renewalDueAt: string | null; amountDue: number; opportunityId: string | null;
  items: Array<{ module: string; price: number; status: string; activatedAt: string }>;
  invoices: Array<{ number: number; kind: string; amount: number; sellerName: string | null; issuedAt: string }>;
  stateHistory: Array<{ dimension: string; from: string; to: string; reason: string | null; at: string }>;
  processes: Array<{ id: string; definitionId: string; status: string; stage: string | null; outcome: string | null }>;
}

export function formatAccount(a: AccountDetail): string {
  const field = (k: string, v: unknown) => `${`${k}:`.padEnd(14)}${v ?? '-'}`;
  return [
    field('account', a.id),
    field('name', `${a.name} (${a.rut})`),
    field('email', a.email),
    field('kind', `${a.kind}, plan ${a.planCode}, base ${a.currency} ${a.basePrice}`),
    field('source', a.source),
    field('states', Object.entries(a.states).map(([k, v]) => `${k}=${v}`).join(' ')),
    field('trial ends', a.trialEndsAt ? when(a.trialEndsAt) : null),
    field('renewal due', a.renewalDueAt ? when(a.renewalDueAt) : null),
    field('amount due', `${a.currency} ${a.amountDue}`),
    field('opportunity', a.opportunityId),
    '',
    table(a.items.map((i) => ({ ...i, activatedAt: when(i.activatedAt) })), ['module', 'price', 'status', 'activatedAt']),
    '',
    table(a.invoices.map((i) => ({ ...i, issuedAt: when(i.issuedAt) })), ['number', 'kind', 'amount', 'sellerName', 'issuedAt']),
    '',
    table(a.stateHistory.map((h) => ({ ...h, at: when(h.at) })), ['at', 'dimension', 'from', 'to', 'reason']),
    '',
    table(a.processes, ['id', 'definitionId', 'status', 'stage', 'outcome']),
  ].join('\n');
}

export function registerAccountCommands(program: Command, { http, print }: CommandContext): void {
  const account = program.command('account').description('digital accounts: sign up, inspect, add modules');
  account
    .command('create')
    .description('sign up a trial or freemium account and start its process')
    .requiredOption('--kind <kind>', 'trial | freemium')
    .requiredOption('--email <email>')
    .requiredOption('--rut <rut>', 'Chilean RUT with check digit')
    .requiredOption('--name <name>')
    .option('--plan <code>', 'plan code (default trial-pyme / freemium)')
    .option('--channel <code>', 'ecommerce | landing | hubspot | assisted | partner | upgrade', 'ecommerce')
    .option('--addons <modules>', 'trial: comma-separated modules the user means to add')
    .action(async (o: { kind: string; email: string; rut: string; name: string; plan?: string; channel: string; addons?: string }) => {
      const body = {
        kind: o.kind, email: o.email, rut: o.rut, name: o.name, channel: o.channel,
        ...(o.plan ? { planCode: o.plan } : {}),
        ...(o.addons !== undefined ? { addons: o.addons.split(',').map((m) => m.trim()).filter(Boolean) } : {}),
      };
      const res = await http()('POST', '/api/accounts', { body });
      print(res, () => `Account ${res.accountId ?? '(being created)'} for ${o.email}: ${res.definitionId} ${res.processId}, opportunity ${res.opportunityId}`);
    });
  account
    .command('show <id>')
    .description('an account with its states, modules, invoices, state history and processes')
    .action(async (id: string) => {
      const res = await http()('GET', `/api/accounts/${encodeURIComponent(id)}`);
      print(res, () => formatAccount(res));
    });
  account
    .command('upgrade <id> <modules...>')
    .description('add modules beyond the base plan')
    .action(async (id: string, modules: string[]) => {
      const res = await http()('POST', `/api/accounts/${encodeURIComponent(id)}/upgrades`, { body: { modules } });
      print(res, () => `Modules ${res.modules.join(', ')} added to account ${id} (${res.via}, process ${res.processId})`);
    });

  program
    .command('payment')
    .description("deliver a store payment as the payment webhook does (repeat with the same --key: nothing new happens)")
    .requiredOption('--account <id>')
    .requiredOption('--amount <amount>', 'the amount due', Number)
    .requiredOption('--transaction <id>', "the store's transaction id")
    .option('--method <method>', 'webpay | transfer | card', 'webpay')
    .option('--key <key>', 'Idempotency-Key (default: payment-<transaction>)')
    .action(async (o: { account: string; amount: number; transaction: string; method: string; key?: string }) => {
      const res = await http()('POST', '/api/webhooks/payments', {
        body: { accountId: o.account, amount: o.amount, method: o.method, transactionId: o.transaction },
        headers: { 'idempotency-key': o.key ?? `payment-${o.transaction}` },
      });
      print(res, () => `${res.duplicate ? 'Duplicate delivery (nothing new)' : 'Payment delivered'}: account ${res.accountId}, process ${res.processId}, amount due ${res.amountDue}`);
    });
}
