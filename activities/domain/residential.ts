/**
 * Seed 002's look-ups: the coverage check (Smartflex/GIS, read from `coverage_zones`) and the quote of a
 * catalog plan for the customer's zone. Both only read, so a retry repeats nothing; both answer a "no"
 * as data (the YAML routes it), and fail only on input no retry can fix.
 */
import type { Knex } from 'knex';
import { claimedElsewhere, coverageFor, matchDeposit, OPERATION_TYPES, parseMinor, planProblem, TECHNOLOGIES, UNATTENDED_REASONS, type Technology } from '../../domain/residential';
import { createBankStatementStore } from '../../lib/bank-statements';
import { createCoverageStore } from '../../lib/coverage';
import { createServicePlanStore } from '../../lib/service-plans';
import type { ProcessActivity } from '../context';
import { createUnattendedStore } from '../../lib/unattended-requests';
import { invalid, iso, optionalString, requireEnum, requireString, type Input } from './support';


function requireSpeed(input: Input): number {
  const speed = Number(input.speedMbps);
  if (!Number.isInteger(speed) || speed < 1) throw invalid('speedMbps', `must be a whole number of Mbps (got ${JSON.stringify(input.speedMbps)})`);
  return speed;
}

export function createResidentialActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  const coverage = createCoverageStore(db);
  const plans = createServicePlanStore(db);
  const unattended = createUnattendedStore(db);
  const statements = createBankStatementStore(db);
  return {
    async 'coverage.check'(input) {
      const zone = requireString(input, 'zone').toLowerCase();
      const technology = optionalString(input, 'technology')?.toLowerCase();
      if (technology && !(TECHNOLOGIES as readonly string[]).includes(technology)) throw invalid('technology', `must be one of ${TECHNOLOGIES.join(', ')}`);
      return coverageFor(zone, await coverage.zone(zone), requireSpeed(input), technology as Technology | undefined);
    },

    async 'plans.quote'(input) {
      const code = requireString(input, 'planCode');
      const zone = requireString(input, 'zone').toLowerCase();
      const plan = await plans.active(code);
      if (!plan) return { quoted: false, planCode: code, reason: `no active plan ${code} in the catalog` };
      const problem = planProblem(plan, zone, await coverage.zone(zone));
      if (problem) return { quoted: false, planCode: code, reason: problem };
      return { quoted: true, planCode: code, reason: null, ...plan, monthlyTariff: plan.monthlyTariffMinor / 100, installationFee: plan.installationFeeMinor / 100 };
    },

    async 'deposits.match'(input, ctx) {
      const amountMinor = parseMinor(String(input.amount ?? ''));
      if (amountMinor === null) throw invalid('amount', `must be an amount with at most two decimals (got ${JSON.stringify(input.amount)})`);
      const receipt = {
        depositNumber: requireString(input, 'depositNumber'),
        amountMinor,
        depositedOn: requireString(input, 'depositedOn'),
        operationType: requireEnum(input, 'operationType', OPERATION_TYPES),
        depositor: requireString(input, 'depositor'),
      };
      const decide = async () => matchDeposit(receipt, await statements.byDepositNumber(receipt.depositNumber), ctx.instanceId, await statements.holder(receipt.depositNumber));
      let decision = await decide();
      // The deposit is this sale's only if the claim wins: another sale may have taken it meanwhile.
      if (decision.kind === 'matched' && !(await statements.claim(receipt.depositNumber, ctx.instanceId, decision.line.id, 'statement'))) decision = await decide();
      const summary =
        decision.kind === 'mismatch' ? decision.mismatches.join('; ')
        : decision.kind === 'ambiguous' ? decision.reason
        : decision.kind === 'not-found' ? `no line of deposit ${receipt.depositNumber} in the imported statements yet`
        : null;
      return { result: decision.kind, lineId: 'line' in decision ? decision.line.id : null, mismatches: decision.kind === 'mismatch' ? decision.mismatches : [], summary };
    },

    async 'deposits.claim'(input, ctx) {
      const depositNumber = requireString(input, 'depositNumber');
      const confirmedBy = requireString(input, 'confirmedBy');
      if (await statements.claim(depositNumber, ctx.instanceId, null, confirmedBy)) return { result: 'matched', lineId: null, mismatches: [], summary: null };
      return { result: 'ambiguous', lineId: null, mismatches: [], summary: claimedElsewhere(depositNumber, await statements.holder(depositNumber), ctx.instanceId) };
    },

    async 'requests.recordUnattended'(input, ctx) {
      const fields = {
        reason_code: requireEnum(input, 'reasonCode', UNATTENDED_REASONS),
        reason: requireString(input, 'reason'),
        customer_name: requireString(input, 'customerName'),
        phone: optionalString(input, 'phone'),
        owner: requireString(input, 'owner'),
      };
      const row = await unattended.record({ ...fields, instance_id: ctx.instanceId, business_key: ctx.businessKey, idempotency_key: ctx.key });
      return { requestId: row.id, reasonCode: row.reason_code, reason: row.reason, recordedAt: iso(row.created_at) };
    },

    async 'requests.markReentered'(input, ctx) {
      const instanceId = requireString(input, 'instanceId');
      const row = await unattended.ofInstance(instanceId);
      if (!row) throw invalid('instanceId', `${instanceId} is not an unattended request`);
      // A retry finds its own mark; a request another sale took up stays theirs.
      const marked = row.reentered_as === ctx.instanceId || (await unattended.markReentered(instanceId, ctx.instanceId));
      const holder = marked ? ctx.instanceId : (await unattended.ofInstance(instanceId))!.reentered_as;
      return { instanceId, reenteredAs: holder, marked, reasonCode: row.reason_code, reason: row.reason };
    },
  };
}
