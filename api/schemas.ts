/**
 * The API contract: every request and response schema, and the one ajv instance that checks them.
 * Schemas are `as const` objects with an `$id`; their TypeScript types come from the schema itself
 * (json-schema-to-ts), and `openapi.ts` publishes the same objects, so contract, types and docs
 * cannot drift. The instance is draft 2020-12 because definitions' `variables` schemas are too.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { createSchemaAjv } from '../lib/ajv';
import { TIMELINE_VIEWS } from './processes/timeline';

export const ajv = createSchemaAjv({
  allErrors: true,
  // Definitions' variables schemas may carry annotations ajv does not know (`x-…`, UI hints).
  strict: false,
  useDefaults: true,
});

// ---- shared pieces (inlined, so FromSchema sees plain objects) ----

const kebabId = { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 100 } as const;
/** Names, keys and ids people type: not empty, at most 200 characters. */
const shortText = { type: 'string', minLength: 1, maxLength: 200 } as const;
const uuid = { type: 'string', format: 'uuid' } as const;
/** A uuid, any case; for the places a uuid is told apart from other text (Postgres `~*`, `RegExp(…, 'i')`). */
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const nullableString = { type: ['string', 'null'] } as const;
const nullableObject = { type: ['object', 'null'] } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const stringList = { type: 'array', items: { type: 'string' } } as const;
const rutText = { type: 'string', minLength: 1, maxLength: 20, description: 'Chilean RUT with its check digit, with or without dots and dash (`76.086.428-5`).' } as const;
/** A company named in a lead or a signup. */
const companyRef = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  description: 'Found by RUT (or by name when no RUT), else created.',
  properties: { name: shortText, rut: rutText },
} as const;
const moduleCode = { type: 'string', minLength: 1, maxLength: 50 } as const;
const limit = { type: 'integer', minimum: 1, maximum: 200, default: 50 } as const;
const offset = { type: 'integer', minimum: 0, default: 0 } as const;
const instanceStatus = { type: 'string', enum: ['running', 'completed', 'cancelled', 'failed', 'terminated', 'timed_out'] } as const;
const taskStatus = { type: 'string', enum: ['open', 'completed', 'cancelled'] } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
/** A page of a list: the items, the total matching, and the limit/offset that produced it. */
const page = <const Items>(items: Items) =>
  ({
    type: 'object',
    required: ['items', 'total', 'limit', 'offset'],
    properties: { items: { type: 'array', items }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } },
  }) as const;
const user = {
  type: 'object',
  required: ['username', 'roles'],
  properties: { username: { type: 'string' }, roles: stringList, displayName: nullableString },
} as const;

// ---- errors ----

export const ErrorResponse = {
  $id: 'ErrorResponse',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', description: 'Stable machine-readable code, e.g. `invalid_request`, `TaskNotOpen`.' },
        message: { type: 'string' },
        details: { description: 'Problems with their location (`in`, `path`) for 400/422; null otherwise.' },
      },
    },
  },
} as const;

// ---- health ----

export const Health = {
  $id: 'Health',
  type: 'object',
  required: ['status', 'temporal', 'database'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    temporal: {
      type: 'object',
      required: ['ok'],
      properties: { ok: { type: 'boolean' }, namespace: { type: 'string' }, taskQueue: { type: 'string' }, error: { type: 'string' } },
    },
    database: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' }, error: { type: 'string' } } },
  },
} as const;

// ---- auth ----

export const LoginBody = {
  $id: 'LoginBody',
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: { username: shortText, password: { type: 'string', minLength: 1, maxLength: 500 } },
} as const;
export type LoginBody = FromSchema<typeof LoginBody>;

export const LoginResponse = {
  $id: 'LoginResponse',
  type: 'object',
  required: ['token', 'user', 'expiresAt'],
  properties: { token: { type: 'string' }, user, expiresAt: dateTime },
} as const;

export const Me = { $id: 'Me', ...user } as const;

// ---- definitions ----

export const DefinitionParams = {
  $id: 'DefinitionParams',
  type: 'object',
  required: ['id'],
  properties: { id: kebabId },
} as const;
export type DefinitionParams = FromSchema<typeof DefinitionParams>;

export const DefinitionVersionParams = {
  $id: 'DefinitionVersionParams',
  type: 'object',
  required: ['id', 'version'],
  properties: { id: kebabId, version: { type: 'integer', minimum: 1 } },
} as const;
export type DefinitionVersionParams = FromSchema<typeof DefinitionVersionParams>;

export const DefinitionYaml = {
  $id: 'DefinitionYaml',
  type: 'string',
  minLength: 1,
  description: 'A process definition in YAML (see docs/ARCHITECTURE.md, "Definition format").',
} as const;

export const DeployQuery = {
  $id: 'DeployQuery',
  type: 'object',
  additionalProperties: false,
  properties: { file: { type: 'string', minLength: 1, maxLength: 500, description: 'File name used in error locations.' } },
} as const;
export type DeployQuery = FromSchema<typeof DeployQuery>;

const versionSummary = {
  type: 'object',
  required: ['version', 'hash', 'deployedAt'],
  properties: { version: { type: 'integer' }, hash: { type: 'string' }, deployedAt: dateTime, deployedBy: { type: 'string' } },
} as const;

export const DefinitionList = {
  $id: 'DefinitionList',
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'latestVersion'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          description: nullableString,
          latestVersion: { type: 'integer' },
          versionCount: { type: 'integer' },
          deployedAt: dateTime,
        },
      },
    },
  },
} as const;

export const DefinitionVersionResponse = {
  $id: 'DefinitionVersionResponse',
  type: 'object',
  required: ['id', 'version', 'hash', 'definition'],
  properties: {
    id: { type: 'string' },
    version: { type: 'integer' },
    hash: { type: 'string' },
    definition: { ...anyObject, description: 'The parsed definition, including its `variables` JSON Schema.' },
    deployedAt: dateTime,
    deployedBy: { type: 'string' },
    source: { type: 'string', description: 'The YAML as deployed.' },
    versions: { type: 'array', items: versionSummary, description: 'Only on `GET /api/definitions/{id}`.' },
    created: { type: 'boolean', description: 'Only on deploy: false when the same content was already deployed.' },
  },
} as const;

// ---- processes ----

export const IdParams = {
  $id: 'IdParams',
  type: 'object',
  required: ['id'],
  properties: { id: shortText },
} as const;
export type IdParams = FromSchema<typeof IdParams>;

export const StartProcessBody = {
  $id: 'StartProcessBody',
  type: 'object',
  required: ['definitionId', 'businessKey', 'variables'],
  additionalProperties: false,
  properties: {
    definitionId: kebabId,
    version: { type: 'integer', minimum: 1, description: 'Default: the latest version.' },
    businessKey: shortText,
    variables: anyObject,
  },
} as const;
export type StartProcessBody = FromSchema<typeof StartProcessBody>;

export const StartProcessResponse = {
  $id: 'StartProcessResponse',
  type: 'object',
  required: ['id', 'definitionId', 'version'],
  properties: { id: { type: 'string' }, definitionId: { type: 'string' }, version: { type: 'integer' }, businessKey: { type: 'string' } },
} as const;

export const ListProcessesQuery = {
  $id: 'ListProcessesQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    definitionId: kebabId,
    version: { type: 'integer', minimum: 1, description: 'Only instances started on this version of the definition.' },
    status: instanceStatus,
    stage: { type: 'string', minLength: 1 },
    businessKey: { type: 'string', minLength: 1 },
    limit,
    offset,
  },
} as const;
export type ListProcessesQuery = FromSchema<typeof ListProcessesQuery>;

const processSummary = {
  type: 'object',
  required: ['id', 'definitionId', 'version', 'businessKey', 'status', 'startedAt'],
  properties: {
    id: { type: 'string' },
    definitionId: { type: 'string' },
    version: { type: 'integer' },
    businessKey: { type: 'string' },
    status: instanceStatus,
    stage: nullableString,
    outcome: nullableString,
    endReason: nullableString,
    startedBy: { type: 'string' },
    startedAt: dateTime,
    endedAt: nullableDateTime,
    updatedAt: dateTime,
  },
} as const;

export const ProcessList = { $id: 'ProcessList', ...page(processSummary) } as const;

export const ProcessDetail = {
  $id: 'ProcessDetail',
  type: 'object',
  required: [...processSummary.required, 'variables', 'live'],
  properties: {
    ...processSummary.properties,
    variables: anyObject,
    live: { type: 'boolean', description: 'true when status, steps and tasks come from the workflow itself (state query).' },
    currentSteps: stringList,
    stageHistory: { type: 'array', items: anyObject },
    tasks: { type: 'array', items: anyObject },
    runs: { type: 'integer' },
    incidents: { type: 'array', items: anyObject, description: 'Open incidents: steps stopped until an operator retries, cancels or terminates.' },
    parkedEvents: { type: 'array', items: anyObject, description: 'Events received that no step has taken yet (kept while a step ahead can take them).' },
    temporalUiUrl: { type: 'string' },
  },
} as const;

export const HistoryQuery = {
  $id: 'HistoryQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    view: {
      type: 'string',
      enum: TIMELINE_VIEWS,
      default: 'business',
      description: '`business`: what happened to the sale (audit trail and steps); `technical`: that plus the Temporal events (activities, timers, signals, updates).',
    },
  },
} as const;
export type HistoryQuery = FromSchema<typeof HistoryQuery>;

export const Timeline = {
  $id: 'Timeline',
  type: 'object',
  required: ['view', 'items'],
  properties: {
    view: { type: 'string', enum: TIMELINE_VIEWS },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'kind', 'title', 'source'],
        properties: {
          at: dateTime,
          kind: { type: 'string', description: 'e.g. `stage.changed`, `task.claimed`, `event.received`, `step.entered` (business); `workflow.started`, `activity.failed`, `timer.fired` (technical).' },
          title: { type: 'string' },
          source: { type: 'string', enum: ['temporal', 'audit', 'workflow'] },
          actor: { type: 'string' },
          stepId: { type: 'string' },
          details: anyObject,
        },
      },
    },
  },
} as const;

export const EventParams = {
  $id: 'EventParams',
  type: 'object',
  required: ['id', 'name'],
  properties: { id: IdParams.properties.id, name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_.-]*$', maxLength: 100 } },
} as const;
export type EventParams = FromSchema<typeof EventParams>;

export const EventBody = {
  $id: 'EventBody',
  type: 'object',
  additionalProperties: false,
  properties: {
    eventId: { ...shortText, description: 'Idempotency id (or send an `Idempotency-Key` header).' },
    payload: anyObject,
  },
} as const;
export type EventBody = FromSchema<typeof EventBody>;

/** Why an operator cancels or terminates: kept in the audit trail. */
const reason = { type: 'string', minLength: 1, maxLength: 2000 } as const;

export const CancelBody = {
  $id: 'CancelBody',
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason },
} as const;
export type CancelBody = FromSchema<typeof CancelBody>;

export const Accepted = {
  $id: 'Accepted',
  type: 'object',
  required: ['accepted'],
  properties: { accepted: { type: 'boolean' }, id: { type: 'string' }, eventId: { type: 'string' } },
} as const;

// ---- tasks ----

export const ListTasksQuery = {
  $id: 'ListTasksQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['open', 'completed', 'cancelled', 'all'], default: 'open' },
    role: { type: 'string', minLength: 1 },
    assignee: { type: 'string', minLength: 1, description: 'A username, or `me`.' },
    processId: { type: 'string', minLength: 1 },
    limit,
    offset,
  },
} as const;
export type ListTasksQuery = FromSchema<typeof ListTasksQuery>;

const task = {
  type: 'object',
  required: ['id', 'processId', 'stepId', 'title', 'status', 'candidateRoles', 'outcomes', 'overdue'],
  properties: {
    id: { type: 'string' },
    processId: { type: 'string' },
    definitionId: { type: 'string' },
    businessKey: { type: 'string' },
    stepId: { type: 'string' },
    title: { type: 'string' },
    status: taskStatus,
    candidateRoles: stringList,
    assignee: nullableString,
    outcomes: stringList,
    form: nullableObject,
    dueAt: nullableDateTime,
    overdue: { type: 'boolean' },
    escalatedAt: nullableDateTime,
    createdAt: dateTime,
    claimedAt: nullableDateTime,
    outcome: nullableString,
    data: nullableObject,
    completedBy: nullableString,
    completedAt: nullableDateTime,
  },
} as const;

export const Task = { $id: 'Task', ...task } as const;

export const TaskList = { $id: 'TaskList', ...page(task) } as const;

export const CompleteTaskBody = {
  $id: 'CompleteTaskBody',
  type: 'object',
  required: ['outcome'],
  additionalProperties: false,
  properties: { outcome: { type: 'string', minLength: 1 }, data: anyObject },
} as const;
export type CompleteTaskBody = FromSchema<typeof CompleteTaskBody>;

export const CompleteTaskResponse = {
  $id: 'CompleteTaskResponse',
  type: 'object',
  required: ['taskId', 'outcome', 'completedBy', 'completedAt'],
  properties: { taskId: { type: 'string' }, outcome: { type: 'string' }, completedBy: { type: 'string' }, completedAt: dateTime },
} as const;

// ---- reports ----

/** A day (`2026-11-30`, UTC) or an instant with its offset (`2026-11-30T12:00:00-03:00`). */
const dayOrInstant = { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] } as const;
const countAndAmount = {
  type: 'object',
  required: ['count', 'amount'],
  properties: { count: { type: 'integer' }, amount: { type: 'number', description: 'In `currency` (CLP).' } },
} as const;

export const FunnelReportQuery = {
  $id: 'FunnelReportQuery',
  type: 'object',
  required: ['from', 'to'],
  additionalProperties: false,
  properties: {
    from: { ...dayOrInstant, description: 'Start of the period, inclusive (a date is that day at 00:00 UTC).' },
    to: { ...dayOrInstant, description: 'End of the period, exclusive; a date-only `to` includes that whole day (UTC).' },
    channel: { type: 'string', minLength: 1, maxLength: 50, description: "Opportunities of this channel only (`ecommerce`, `landing`, …)." },
    owner: { ...shortText, description: "Opportunities of this owner only: the owner's id or email." },
  },
} as const;
export type FunnelReportQuery = FromSchema<typeof FunnelReportQuery>;

export const FunnelReport = {
  $id: 'FunnelReport',
  type: 'object',
  required: ['period', 'filters', 'stages', 'conversions', 'lost', 'newCustomers', 'mrrCollected', 'rrrWon', 'currency'],
  properties: {
    period: {
      type: 'object',
      required: ['from', 'to'],
      description: 'The half-open interval [from, to) the figures cover.',
      properties: { from: dateTime, to: dateTime },
    },
    filters: {
      type: 'object',
      required: ['channel', 'owner'],
      properties: {
        channel: nullableString,
        owner: {
          type: ['object', 'null'],
          required: ['id', 'name', 'email'],
          properties: { id: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' } },
        },
      },
    },
    stages: {
      type: 'array',
      description: 'Each funnel stage in order: distinct opportunities that entered it in the period.',
      items: { type: 'object', required: ['stage', 'count'], properties: { stage: { type: 'string' }, count: { type: 'integer' } } },
    },
    conversions: {
      type: 'array',
      description: 'Each consecutive pair: share of those that entered `from` that also entered `to` or a later stage (null: none entered `from`).',
      items: {
        type: 'object',
        required: ['from', 'to', 'rate'],
        properties: { from: { type: 'string' }, to: { type: 'string' }, rate: { type: ['number', 'null'], minimum: 0, maximum: 1 } },
      },
    },
    lost: { type: 'integer', description: 'Distinct opportunities that entered opportunity-lost.' },
    newCustomers: { type: 'integer', description: 'First-period invoices issued.' },
    mrrCollected: { ...countAndAmount, description: 'Upgrade invoices issued.' },
    rrrWon: { ...countAndAmount, description: 'Subscription items activated and neither paid nor revoked before the period ends.' },
    currency: { type: 'string', enum: ['CLP'] },
  },
} as const;

// ---- opportunities and CRM imports ----

export const LeadBody = {
  $id: 'LeadBody',
  type: 'object',
  required: ['email', 'name', 'channel'],
  additionalProperties: false,
  properties: {
    email: { type: 'string', minLength: 1, maxLength: 320, description: "The contact's email (checked like every email in Cauce: 422 naming it); one contact per email, compared lower-cased." },
    name: shortText,
    phone: { type: 'string', minLength: 1, maxLength: 50 },
    rut: rutText,
    company: companyRef,
    channel: { type: 'string', minLength: 1, maxLength: 50, description: 'Origin: `landing`, `hubspot`, `assisted`, `partner`, `ecommerce` or `upgrade`.' },
    sourceDetail: { type: 'string', minLength: 1, maxLength: 100, description: 'e.g. `form`, `campaign`, `referral`, `executive`.' },
    campaign: shortText,
    partner: shortText,
    ownerId: { ...uuid, description: "The owner to assign; default: the contact's, else its company's, else round-robin in the process." },
  },
} as const;
export type LeadBody = FromSchema<typeof LeadBody>;

export const LeadResponse = {
  $id: 'LeadResponse',
  type: 'object',
  required: ['opportunityId', 'contactId', 'companyId', 'ownerId', 'created', 'processId'],
  properties: {
    opportunityId: { type: 'string', description: 'Also the business key of every process of this sale.' },
    contactId: { type: 'string' },
    companyId: nullableString,
    ownerId: nullableString,
    created: { type: 'boolean', description: 'false: the contact already had an open opportunity (returned, no second process).' },
    processId: { ...nullableString, description: 'The running digital-opportunity process of the opportunity, if any.' },
  },
} as const;

export const ContactsCsv = {
  $id: 'ContactsCsv',
  type: 'string',
  minLength: 1,
  description:
    'CSV with a header row, at most 10 MiB. Columns: email, name (required); phone, rut, company, company_rut, channel (default hubspot), source (bulk | partner | campaign | referral; default bulk), campaign, partner, owner_email.',
} as const;

export const ImportContactsQuery = {
  $id: 'ImportContactsQuery',
  type: 'object',
  additionalProperties: false,
  properties: { filename: { type: 'string', minLength: 1, maxLength: 500, description: 'Name shown for the import (default contacts.csv).' } },
} as const;
export type ImportContactsQuery = FromSchema<typeof ImportContactsQuery>;

/** An id that must be a uuid (imports, accounts): anything else is a 400 naming `/id`. */
export const UuidParams = {
  $id: 'UuidParams',
  type: 'object',
  required: ['id'],
  properties: { id: uuid },
} as const;
export type UuidParams = FromSchema<typeof UuidParams>;

/** `pending`: stored by the upload, not worked by the import job yet. */
const importRowStatus = { type: 'string', enum: ['pending', 'created', 'duplicate', 'invalid'] } as const;

export const ImportStatus = {
  $id: 'ImportStatus',
  type: 'object',
  required: ['id', 'status', 'totalRows', 'processedRows', 'createdRows', 'duplicateRows', 'invalidRows', 'progress'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    filename: { type: 'string' },
    sha256: { type: 'string' },
    status: { type: 'string', enum: ['running', 'completed', 'failed'] },
    totalRows: { type: 'integer' },
    processedRows: { type: 'integer' },
    createdRows: { type: 'integer', description: 'Rows that opened an opportunity and started its process.' },
    duplicateRows: { type: 'integer', description: 'Rows whose contact already had an open opportunity.' },
    invalidRows: { type: 'integer' },
    progress: {
      type: 'object',
      required: ['processed', 'total', 'percent'],
      properties: { processed: { type: 'integer' }, total: { type: 'integer' }, percent: { type: 'integer' } },
    },
    error: { ...nullableString, description: 'Why a failed import stopped (`line N: …`); rows before it are kept.' },
    createdBy: { type: 'string' },
    createdAt: dateTime,
    finishedAt: nullableDateTime,
  },
} as const;

export const ImportRowsQuery = {
  $id: 'ImportRowsQuery',
  type: 'object',
  additionalProperties: false,
  properties: { status: importRowStatus, limit, offset },
} as const;
export type ImportRowsQuery = FromSchema<typeof ImportRowsQuery>;

export const ImportRowList = {
  $id: 'ImportRowList',
  ...page({
    type: 'object',
    required: ['line', 'status', 'errors'],
    properties: {
      line: { type: 'integer', description: 'CSV line; the header is line 1.' },
      status: importRowStatus,
      errors: { ...stringList, description: 'Why an invalid row was refused, each naming its column.' },
      contactId: nullableString,
      opportunityId: nullableString,
    },
  }),
} as const;

// ---- Digital accounts, upgrades and payment webhooks (seed 000; docs/DIGITAL-SALE.md) ----

const moduleCodes = { type: 'array', minItems: 1, maxItems: 20, uniqueItems: true, items: moduleCode } as const;

export const CreateAccountBody = {
  $id: 'CreateAccountBody',
  type: 'object',
  required: ['kind', 'email', 'rut', 'name'],
  additionalProperties: false,
  properties: {
    kind: { enum: ['trial', 'freemium'], description: 'trial: base value and a free period from the plan; freemium: $0, no time limit.' },
    email: { type: 'string', format: 'email', maxLength: 320, description: 'Must not be used by another account (compared lower-cased).' },
    rut: rutText,
    name: shortText,
    planCode: { type: 'string', minLength: 1, maxLength: 50, description: 'Default: trial-pyme (trial) or freemium.' },
    channel: { enum: ['ecommerce', 'landing', 'hubspot', 'assisted', 'partner', 'upgrade'], default: 'ecommerce' },
    sourceDetail: { type: 'string', minLength: 1, maxLength: 100 },
    addons: { type: 'array', maxItems: 20, uniqueItems: true, items: moduleCode, description: 'Trial only: modules the user means to add; none skips conversion-to-account.' },
    phone: { type: 'string', minLength: 1, maxLength: 50 },
    company: companyRef,
  },
} as const;
export type CreateAccountBody = FromSchema<typeof CreateAccountBody>;

export const CreatedAccount = {
  $id: 'CreatedAccount',
  type: 'object',
  required: ['accountId', 'opportunityId', 'processId', 'definitionId'],
  properties: {
    accountId: { ...nullableString, description: 'null only when the process had not created the account yet (202).' },
    opportunityId: { type: 'string', description: 'The business key of every process of this sale.' },
    processId: { type: 'string' },
    definitionId: { type: 'string' },
    status: { type: 'string' },
    expiresAt: { ...nullableDateTime, description: 'When the trial ends; null for a freemium account or before the account is written (202).' },
  },
} as const;

export const AccountDetail = {
  $id: 'AccountDetail',
  type: 'object',
  required: ['id', 'email', 'rut', 'kind', 'states', 'subscription', 'items', 'invoices', 'stateHistory', 'processes'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    rut: { type: 'string' },
    name: { type: 'string' },
    kind: { enum: ['trial', 'freemium'] },
    planCode: { type: 'string' },
    channel: { type: 'string' },
    source: { type: 'string', description: 'The channel of origin (`partner` for partner registrations).' },
    basePrice: { type: 'number' },
    currency: { type: 'string' },
    states: { type: 'object', description: 'conversion, payment, activation, operation' },
    trialEndsAt: nullableDateTime,
    renewalDueAt: nullableDateTime,
    amountDue: { type: 'number' },
    subscription: nullableObject,
    items: { type: 'array' },
    invoices: { type: 'array' },
    stateHistory: { type: 'array' },
    processes: { type: 'array' },
    opportunityId: nullableString,
  },
} as const;

export const UpgradeBody = {
  $id: 'UpgradeBody',
  type: 'object',
  required: ['modules'],
  additionalProperties: false,
  properties: { modules: { ...moduleCodes, description: 'Module codes (see GET /api/modules).' } },
} as const;
export type UpgradeBody = FromSchema<typeof UpgradeBody>;

export const UpgradeAccepted = {
  $id: 'UpgradeAccepted',
  type: 'object',
  required: ['accountId', 'processId', 'modules', 'via'],
  properties: {
    accountId: { type: 'string' },
    processId: { type: 'string' },
    modules: stringList,
    via: { enum: ['trial', 'new-upgrade', 'pending-upgrade'], description: 'The trial in progress, a new account-upgrade process, or the one already waiting for payment.' },
  },
} as const;

export const PaymentWebhookBody = {
  $id: 'PaymentWebhookBody',
  type: 'object',
  required: ['accountId', 'amount', 'method', 'transactionId'],
  additionalProperties: false,
  properties: {
    accountId: uuid,
    amount: { type: 'number', exclusiveMinimum: 0 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', default: 'CLP' },
    method: { type: 'string', minLength: 1, maxLength: 50, description: 'e.g. webpay, transfer, card' },
    transactionId: { ...shortText, description: "The store / gateway's transaction id." },
    paidAt: dateTime,
  },
} as const;
export type PaymentWebhookBody = FromSchema<typeof PaymentWebhookBody>;

export const PaymentAccepted = {
  $id: 'PaymentAccepted',
  type: 'object',
  required: ['accepted', 'duplicate', 'accountId', 'processId', 'eventId'],
  properties: {
    accepted: { type: 'boolean' },
    duplicate: { type: 'boolean', description: 'true: this Idempotency-Key was delivered before; nothing new happened.' },
    accountId: { type: 'string' },
    processId: { type: 'string' },
    eventId: { type: 'string' },
    amountDue: { type: 'number' },
  },
} as const;

// ---- incidents ----

const incident = {
  type: 'object',
  required: ['id', 'processId', 'definitionId', 'businessKey', 'source', 'type', 'message', 'status', 'raisedAt'],
  properties: {
    id: uuid,
    processId: { type: 'string' },
    definitionId: { type: 'string' },
    businessKey: { type: 'string' },
    source: { type: 'string', enum: ['step', 'workflow-task'], description: '`step`: the interpreter stopped a step; `workflow-task`: Temporal reports the workflow task failing.' },
    stepId: nullableString,
    type: { type: 'string', description: 'e.g. `ExpressionBudgetExceeded`, `ExpressionFailed`, `NoChoiceMatched`, `StepLoop`.' },
    message: { type: 'string' },
    location: {
      type: ['object', 'null'],
      description: 'Where the fault is in the definition: JSON pointer, file, line and column.',
      properties: { path: { type: 'string' }, file: nullableString, line: { type: ['integer', 'null'] }, column: { type: ['integer', 'null'] } },
    },
    status: { type: 'string', enum: ['open', 'resolved'] },
    resolution: nullableString,
    resolvedBy: nullableString,
    raisedAt: dateTime,
    resolvedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

export const Incident = { $id: 'Incident', ...incident } as const;

export const IncidentList = { $id: 'IncidentList', ...page(incident) } as const;

export const ListIncidentsQuery = {
  $id: 'ListIncidentsQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['open', 'resolved', 'all'], default: 'open' },
    processId: shortText,
    limit,
    offset,
  },
} as const;
export type ListIncidentsQuery = FromSchema<typeof ListIncidentsQuery>;

export const IncidentActionBody = {
  $id: 'IncidentActionBody',
  type: 'object',
  additionalProperties: false,
  properties: { reason },
} as const;
export type IncidentActionBody = FromSchema<typeof IncidentActionBody>;

// ---- admin ----

export const ReconcileBody = {
  $id: 'ReconcileBody',
  type: 'object',
  additionalProperties: false,
  properties: {
    closeMissing: { type: 'boolean', default: false, description: 'Also close, as failed, running instances whose workflow Temporal does not know (otherwise only listed).' },
  },
} as const;
export type ReconcileBody = FromSchema<typeof ReconcileBody>;

export const ReconcileReport = {
  $id: 'ReconcileReport',
  type: 'object',
  required: ['checked', 'changed', 'missing', 'errors'],
  properties: {
    checked: { type: 'integer', description: 'Running instances compared with Temporal' },
    changed: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'definitionId', 'businessKey', 'temporalStatus', 'status', 'outcome', 'reason', 'cancelledTasks'],
        properties: {
          id: { type: 'string' },
          definitionId: { type: 'string' },
          businessKey: { type: 'string' },
          temporalStatus: { type: 'string', description: "Temporal's status of the latest run, e.g. TERMINATED" },
          status: instanceStatus,
          outcome: nullableString,
          reason: nullableString,
          cancelledTasks: stringList,
        },
      },
    },
    missing: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'definitionId', 'businessKey', 'closed'],
        properties: { id: { type: 'string' }, definitionId: { type: 'string' }, businessKey: { type: 'string' }, closed: { type: 'boolean' } },
      },
    },
    errors: { type: 'array', items: { type: 'object', required: ['id', 'message'], properties: { id: { type: 'string' }, message: { type: 'string' } } } },
  },
} as const;

/** Every schema, registered once with ajv and published under `components.schemas`. */
export const allSchemas = [
  ErrorResponse, Health, LoginBody, LoginResponse, Me,
  DefinitionParams, DefinitionVersionParams, DefinitionYaml, DeployQuery, DefinitionList, DefinitionVersionResponse,
  IdParams, StartProcessBody, StartProcessResponse, ListProcessesQuery, ProcessList, ProcessDetail, HistoryQuery, Timeline,
  EventParams, EventBody, CancelBody, Accepted,
  ListTasksQuery, Task, TaskList, CompleteTaskBody, CompleteTaskResponse,
  LeadBody, LeadResponse, ContactsCsv, ImportContactsQuery, UuidParams, ImportStatus, ImportRowsQuery, ImportRowList,
  FunnelReportQuery, FunnelReport,
  Incident, IncidentList, ListIncidentsQuery, IncidentActionBody,
  CreateAccountBody, CreatedAccount, AccountDetail, UpgradeBody, UpgradeAccepted, PaymentWebhookBody, PaymentAccepted,
  ReconcileBody, ReconcileReport,
] as const;

for (const schema of allSchemas) ajv.addSchema(schema as object);
