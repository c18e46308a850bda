/** SQL for `service_plans`: seed 002's catalog of residential plans, priced in minor units. */
import type { Knex } from 'knex';

export interface ServicePlan {
  code: string;
  name: string;
  technology: string;
  speedMbps: number;
  monthlyTariffMinor: number;
  installationFeeMinor: number;
  currency: string;
}

interface PlanRow { code: string; name: string; technology: string; speed_mbps: number; monthly_tariff_minor: string; installation_fee_minor: string; currency: string; active: boolean }

const toPlan = (r: PlanRow): ServicePlan => ({
  code: r.code, name: r.name, technology: r.technology, speedMbps: r.speed_mbps,
  monthlyTariffMinor: Number(r.monthly_tariff_minor), installationFeeMinor: Number(r.installation_fee_minor), currency: r.currency,
});

export function createServicePlanStore(db: Knex) {
  return {
    /** An active plan by code, or null. */
    async active(code: string): Promise<ServicePlan | null> {
      const row = await db<PlanRow>('service_plans').where({ code, active: true }).first();
      return row ? toPlan(row) : null;
    },

    async allActive(): Promise<ServicePlan[]> {
      return (await db<PlanRow>('service_plans').where({ active: true }).orderBy(['technology', 'speed_mbps'])).map(toPlan);
    },
  };
}
