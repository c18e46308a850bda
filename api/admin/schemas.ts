/** Operator maintenance: reconcile. Request and response schemas; api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { nullableString, stringList, instanceStatus } from '../shared-schemas';

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

export const adminSchemas = [ReconcileBody, ReconcileReport] as const;
