/** SQL for `lead_notes` (seed 001, migration 029): a lead's notes, newest first. */
import type { Knex } from 'knex';

export interface LeadNoteRow {
  id: string;
  process_id: string;
  author: string;
  body: string;
  created_at: Date;
}

export function createLeadNoteStore(db: Knex) {
  return {
    async add(processId: string, author: string, body: string): Promise<LeadNoteRow> {
      const [row] = await db('lead_notes').insert({ process_id: processId, author, body }).returning('*');
      return row;
    },
    async list(processId: string): Promise<LeadNoteRow[]> {
      return db('lead_notes').where({ process_id: processId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
    },
  };
}
