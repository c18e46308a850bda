/** The coverage table of seed 002 (zones, technologies, speeds). Request and response schemas; api/schemas.ts registers them. */
import { dateTime } from '../shared-schemas';
import { MAX_SPEED_MBPS, TECHNOLOGIES } from '../../domain/residential';

export const CoverageCsv = {
  $id: 'CoverageCsv',
  type: 'string',
  minLength: 1,
  description: `CSV with a header row, at most 10 MiB. Columns: zone (lower-case words joined by hyphens), technology (${TECHNOLOGIES.join(' | ')}), max_speed_mbps (1 to ${MAX_SPEED_MBPS}). A zone and technology already loaded gets the new speed.`,
} as const;

const coverageRow = {
  type: 'object',
  required: ['zone', 'technology', 'maxSpeedMbps', 'updatedBy', 'updatedAt'],
  properties: {
    zone: { type: 'string' },
    technology: { type: 'string', enum: TECHNOLOGIES },
    maxSpeedMbps: { type: 'integer' },
    updatedBy: { type: 'string' },
    updatedAt: dateTime,
  },
} as const;

export const CoverageTable = {
  $id: 'CoverageTable',
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: coverageRow } },
} as const;

export const CoverageImported = {
  $id: 'CoverageImported',
  type: 'object',
  required: ['rows', 'inserted', 'updated'],
  properties: {
    rows: { type: 'integer', description: 'Rows in the file.' },
    inserted: { type: 'integer', description: 'Zone and technology pairs that were not loaded before.' },
    updated: { type: 'integer', description: 'Pairs whose speed the file replaced.' },
  },
} as const;

export const coverageSchemas = [CoverageCsv, CoverageTable, CoverageImported] as const;
