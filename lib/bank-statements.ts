/** SQL for `bank_statements`, `bank_statement_lines` and `deposit_claims` (seed 002: COMTECO's bank accounts as collections imports them, and which sale each deposit paid for). */
import type { Knex } from 'knex';
import type { DepositReceipt, StatementLine } from '../domain/residential';

interface LineRow {
  id: string;
  booked_on: string;
  amount_minor: string;
  deposit_number: string;
  operation_type: string;
  depositor: string;
}

export interface NewLine extends DepositReceipt {
  line: number;
}

const toLine = (r: LineRow): StatementLine => ({
  id: r.id, depositNumber: r.deposit_number, amountMinor: Number(r.amount_minor), depositedOn: r.booked_on,
  operationType: r.operation_type, depositor: r.depositor,
});

export function createBankStatementStore(db: Knex) {
  /** The sale a deposit already confirmed, or null. */
  async function holder(depositNumber: string): Promise<string | null> {
    return ((await db('deposit_claims').where({ deposit_number: depositNumber }).first('instance_id')) as { instance_id: string } | undefined)?.instance_id ?? null;
  }

  // booked_on as text: a `date` has no time zone to shift it.
  const COLUMNS = ['id', db.raw("to_char(booked_on, 'YYYY-MM-DD') as booked_on"), 'amount_minor', 'deposit_number', 'operation_type', 'depositor'];
  return {
    /** The statement and its lines, in one transaction; a line imported before is counted, not added. */
    async import(statement: { filename: string; importedBy: string }, rows: NewLine[]): Promise<{ statementId: string; lines: number; duplicates: number }> {
      return db.transaction(async (trx) => {
        const [{ id }] = await trx('bank_statements').insert({ filename: statement.filename, imported_by: statement.importedBy, lines: rows.length, duplicates: 0 }).returning('id');
        let added = 0;
        for (let i = 0; i < rows.length; i += 1000) {
          const batch = rows.slice(i, i + 1000).map((r) => ({
            statement_id: id, line: r.line, booked_on: r.depositedOn, amount_minor: r.amountMinor, deposit_number: r.depositNumber, operation_type: r.operationType, depositor: r.depositor,
          }));
          added += (await trx('bank_statement_lines').insert(batch).onConflict(['deposit_number', 'booked_on', 'amount_minor', 'operation_type']).ignore().returning('id')).length;
        }
        const duplicates = rows.length - added;
        await trx('bank_statements').where({ id }).update({ duplicates });
        return { statementId: id as string, lines: rows.length, duplicates };
      });
    },

    /** The lines carrying a deposit number. */
    async byDepositNumber(depositNumber: string): Promise<StatementLine[]> {
      const rows: LineRow[] = await db('bank_statement_lines').select(COLUMNS).where({ deposit_number: depositNumber }).orderBy('booked_on');
      return rows.map(toLine);
    },

    holder,

    /**
     * Ties the deposit to the sale it pays for (`lineId`: the statement line that agreed; `confirmedBy`:
     * `statement` or the collections officer). True when the deposit is this sale's, now or from before;
     * false when another sale holds it.
     */
    async claim(depositNumber: string, instanceId: string, lineId: string | null, confirmedBy: string): Promise<boolean> {
      await db('deposit_claims').insert({ deposit_number: depositNumber, instance_id: instanceId, line_id: lineId, confirmed_by: confirmedBy }).onConflict('deposit_number').ignore();
      return (await holder(depositNumber)) === instanceId;
    },
  };
}
