/**
 * The API contract's registry: the one ajv instance that checks every request (and start variables,
 * api/processes/service.ts), with every feature's schemas registered once. The schemas themselves
 * live next to their routes, `api/<feature>/schemas.ts`, built from `shared-schemas.ts`; they are
 * `as const` objects with an `$id`, their TypeScript types come from the schema itself
 * (json-schema-to-ts), and `openapi.ts` publishes the same objects, so contract, types and docs cannot
 * drift. The instance follows the one schema policy (workflows/schema-policy.ts); it fills defaults
 * (query limits, start variables) as the policy allows the API to.
 */
import { accountsSchemas } from './accounts/schemas';
import { invoicesSchemas } from './invoices/schemas';
import { adminSchemas } from './admin/schemas';
import { authSchemas } from './auth/schemas';
import { bankStatementsSchemas } from './bank-statements/schemas';
import { coverageSchemas } from './coverage/schemas';
import { estimatesSchemas } from './estimates/schemas';
import { portalSchemas } from './portal/schemas';
import { prospectsSchemas } from './residential-sales/schemas';
import { definitionsSchemas } from './definitions/schemas';
import { documentsSchemas } from './documents/schemas';
import { healthSchemas } from './health/schemas';
import { incidentsSchemas } from './incidents/schemas';
import { mailSchemas } from './mail/schemas';
import { opportunitiesSchemas } from './opportunities/schemas';
import { processesSchemas } from './processes/schemas';
import { reportsSchemas } from './reports/schemas';
import { sharedSchemas } from './shared-schemas';
import { leadSchemas } from './leads/schemas';
import { taskLinksSchemas } from './task-links/schemas';
import { tasksSchemas } from './tasks/schemas';
import { webhooksSchemas } from './webhooks/schemas';
import { ticketsSchemas } from './tickets/schemas';
import { blacklistSchemas } from './blacklist/schemas';
import { consultantSchemas } from './consultants/schemas';
import { agreementSchemas } from './agreements/schemas';
import { contractsSchemas } from './contracts/schemas';
import { boardsSchemas } from './boards/schemas';
import { createSchemaAjv } from '../lib/ajv';

export const ajv = createSchemaAjv({ fillDefaults: true });

/** Every schema, registered once with ajv and published under `components.schemas`. */
export const allSchemas = [
  ...sharedSchemas,
  ...leadSchemas,
  ...healthSchemas,
  ...authSchemas,
  ...definitionsSchemas,
  ...processesSchemas,
  ...tasksSchemas,
  ...opportunitiesSchemas,
  ...reportsSchemas,
  ...coverageSchemas,
  ...estimatesSchemas,
  ...portalSchemas,
  ...bankStatementsSchemas,
  ...prospectsSchemas,
  ...incidentsSchemas,
  ...accountsSchemas,
  ...invoicesSchemas,
  ...adminSchemas,
  ...mailSchemas,
  ...documentsSchemas,
  ...taskLinksSchemas,
  ...webhooksSchemas,
  ...ticketsSchemas,
  ...blacklistSchemas,
  ...consultantSchemas,
  ...agreementSchemas,
  ...contractsSchemas,
  ...boardsSchemas,
] as const;

for (const schema of allSchemas) ajv.addSchema(schema as object);
