/** Bank statements of seed 002 (collections). Request and response schemas; api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { OPERATION_TYPES } from '../../domain/residential';

export const StatementCsv = {
  $id: 'StatementCsv',
  type: 'string',
  minLength: 1,
  description: `CSV with a header row, at most 10 MiB. Columns: date (YYYY-MM-DD), amount (BOB, a dot and at most two decimals), deposit_number, operation_type (${OPERATION_TYPES.join(' | ')}), depositor.`,
} as const;

export const ImportStatementQuery = {
  $id: 'ImportStatementQuery',
  type: 'object',
  additionalProperties: false,
  properties: { filename: { type: 'string', minLength: 1, maxLength: 500, description: 'Name kept with the statement (default statement.csv).' } },
} as const;

export type ImportStatementQuery = FromSchema<typeof ImportStatementQuery>;

export const StatementImported = {
  $id: 'StatementImported',
  type: 'object',
  required: ['statementId', 'lines', 'duplicates'],
  properties: {
    statementId: { type: 'string' },
    lines: { type: 'integer', description: 'Lines in the file.' },
    duplicates: { type: 'integer', description: 'Lines imported before (same deposit number, date, amount and operation type), not added again.' },
  },
} as const;

export const bankStatementsSchemas = [StatementCsv, ImportStatementQuery, StatementImported] as const;
