/**
 * Importing COMTECO's bank statements (seed 002, step 12): every line checked (domain/residential), the
 * file stored in one transaction only when all pass, a line imported before counted and not added. The
 * transfers waiting for collections are matched against these lines by `deposits.match`.
 */
import type { Readable } from 'node:stream';
import type { AppDeps } from '../deps';
import { allRowsOrNone, receiveCsv, type CsvSpec } from '../csv';
import { createBankStatementStore } from '../../lib/bank-statements';
import { parseStatementRow } from '../../domain/residential';

const STATEMENT_CSV: CsvSpec<'date' | 'amount' | 'deposit_number' | 'operation_type' | 'depositor'> = {
  columns: ['date', 'amount', 'deposit_number', 'operation_type', 'depositor'],
  required: ['date', 'amount', 'deposit_number', 'operation_type', 'depositor'],
  rows: 'bank statement',
};

export function createBankStatementService({ db }: Pick<AppDeps, 'db'>) {
  const store = createBankStatementStore(db);
  return {
    async import(body: Readable, declaredLength: number | undefined, filename: string, actor: string) {
      const rows = await receiveCsv(body, declaredLength, (metered) =>
        allRowsOrNone(metered, STATEMENT_CSV, parseStatementRow, {
          code: 'invalid_statement_rows',
          keyOf: (r) => ({ key: [r.depositNumber, r.depositedOn, r.amountMinor, r.operationType].join('/'), says: `deposit ${r.depositNumber} of ${r.depositedOn}` }),
        }),
      );
      return store.import({ filename, importedBy: actor }, rows);
    },
  };
}

export type BankStatementService = ReturnType<typeof createBankStatementService>;
