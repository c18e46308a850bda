import { defineRoute, type RouteDef } from '../routing';
import { errorReply } from '../shared-schemas';
import { FEATURE_ROLES } from '../../workflows/policy';
import { csvTooLargeReply, csvUpload, declaredLength, MAX_CSV_BYTES } from '../csv';
import { ImportStatementQuery, StatementCsv, StatementImported } from './schemas';
import type { BankStatementService } from './service';

export function bankStatementRoutes(statements: BankStatementService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/bank-statements',
      summary: `Import a bank statement CSV (at most ${MAX_CSV_BYTES} bytes): all its lines, or none when a line is bad; lines imported before are not added again`,
      tag: 'bank-statements',
      auth: { roles: FEATURE_ROLES.importStatements },
      query: ImportStatementQuery,
      body: StatementCsv,
      ...csvUpload,
      responses: {
        201: { description: 'Imported: how many lines, and how many were there before', schema: StatementImported },
        413: csvTooLargeReply,
        422: errorReply('The file cannot be read (bad header, broken quoting, no rows), or lines are bad (`invalid_statement_rows`): `details` name each line and reason, and nothing was imported'),
      },
      handler: ({ query, req, user }) => statements.import(req, declaredLength(req), query.filename ?? 'statement.csv', user.username),
    }),
  ];
}
