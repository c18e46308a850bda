import { defineRoute, type RouteDef } from '../routing';
import { errorReply } from '../shared-schemas';
import { FEATURE_ROLES } from '../../workflows/policy';
import { csvTooLargeReply, csvUpload, declaredLength, MAX_CSV_BYTES } from '../csv';
import { CoverageCsv, CoverageImported, CoverageTable } from './schemas';
import type { CoverageService } from './service';

export function coverageRoutes(coverage: CoverageService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/coverage',
      summary: "Seed 002's coverage table (stand-in for Smartflex/GIS): per zone and technology, the highest speed",
      tag: 'coverage',
      auth: { roles: FEATURE_ROLES.readCoverage },
      responses: { 200: { description: 'Every row, by zone then technology', schema: CoverageTable } },
      handler: () => coverage.list(),
    }),
    defineRoute({
      method: 'post',
      path: '/api/coverage',
      summary: `Load coverage rows from a CSV (at most ${MAX_CSV_BYTES} bytes): all of them, or none when a row is bad`,
      tag: 'coverage',
      auth: { roles: FEATURE_ROLES.loadCoverage },
      body: CoverageCsv,
      ...csvUpload,
      responses: {
        200: { description: 'Loaded: how many rows were new and how many replaced a speed', schema: CoverageImported },
        413: csvTooLargeReply,
        422: errorReply('The file cannot be read (bad header, broken quoting, no rows), or rows are bad (`invalid_coverage_rows`): `details` name each line and reason, and nothing was loaded'),
      },
      handler: ({ req, user }) => coverage.load(req, declaredLength(req), user.username),
    }),
  ];
}
