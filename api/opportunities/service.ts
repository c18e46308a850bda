/**
 * Leads into the funnel: one lead (landing form, partner, assisted deal) or a CRM CSV of them. Each
 * lead becomes an opportunity (store.ts) and, when new, a `digital-opportunity` process whose business
 * key is the opportunity id. A contact with an open opportunity is a duplicate: no second process.
 */
import type { Request } from 'express';
import { toIso as iso } from '../../lib/time';
import { CONTACT_IMPORT_WORKFLOW, contactImportWorkflowId, type ContactImportInput } from '../../workflows/contact-import';
import type { AppDeps } from '../deps';
import { HttpError, notFound } from '../errors';
import type { ProcessService } from '../processes/service';
import { createProcessStore } from '../processes/store';
import type { ImportRowsQuery, LeadBody } from './schemas';
import type { SessionUser } from '../types';
import { toHttpError } from '../temporal-errors';
import { createImportStore, type ImportRow } from '../../lib/imports';
import { declaredLength } from '../csv';
import { receiveContactsCsv } from './import-upload';
import { ensureLead, funnelVariables, FUNNEL_DEFINITION, type CleanLead, type LeadInput } from './store';

export { FUNNEL_DEFINITION };

/** Rows per activity call of the import job. */
const ROWS_PER_RANGE = 100;

function presentImport(r: ImportRow) {
  return {
    id: r.id,
    kind: r.kind,
    filename: r.filename,
    sha256: r.content_sha256,
    status: r.status,
    totalRows: r.total_rows,
    processedRows: r.processed_rows,
    createdRows: r.created_rows,
    duplicateRows: r.duplicate_rows,
    invalidRows: r.invalid_rows,
    progress: { processed: r.processed_rows, total: r.total_rows, percent: r.total_rows ? Math.floor((100 * r.processed_rows) / r.total_rows) : 100 },
    error: r.error,
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    finishedAt: iso(r.finished_at),
  };
}

export function createOpportunityService({ db, temporal, config }: AppDeps, processes: ProcessService) {
  const processStore = createProcessStore(db);
  const imports = createImportStore(db);

  /**
   * Starts the funnel of a new opportunity. An existing one is left alone, unless no process at all
   * has its id as business key: then the start after its creation failed (Temporal down), and this
   * lead is the chance to start it.
   */
  async function startFunnel(user: SessionUser, opportunityId: string, created: boolean, lead: CleanLead) {
    if (!created && (await processStore.anyFor(opportunityId))) {
      const running = await processStore.findRunning([FUNNEL_DEFINITION], opportunityId);
      return { processId: running?.id ?? null, started: false };
    }
    try {
      const { opened } = await processes.open(
        user,
        { definitionId: FUNNEL_DEFINITION, businessKey: opportunityId, variables: funnelVariables(opportunityId, lead) },
        { messageId: `lead:${opportunityId}`, actor: user.username },
        { internal: true },
      );
      return { processId: opened.instanceId, started: true };
    } catch (err) {
      // A concurrent lead for the same contact started it first.
      if (err instanceof HttpError && err.code === 'duplicate_business_key') {
        return { processId: (err.details as { runningId: string | null }).runningId, started: false };
      }
      throw err;
    }
  }

  async function openLead(user: SessionUser, input: LeadInput) {
    const { lead, ...ensured } = await ensureLead(db, input);
    const funnel = await startFunnel(user, ensured.opportunityId, ensured.created, lead);
    return { ...ensured, ...funnel };
  }

  async function requireImport(id: string): Promise<ImportRow> {
    const row = await imports.get(id);
    if (!row) throw notFound(`Import ${id} not found`, { id });
    return row;
  }

  return {
    /** The opportunity and its process; `created: false` for a contact already in the funnel. */
    async createLead(user: SessionUser, body: LeadBody) {
      const { started: _started, ...result } = await openLead(user, { ...body, actor: user.username });
      return result;
    },

    /**
     * Streams the file in and stores its rows (a 422 when it can't be read at all, 413 past the size
     * limit), then starts the import job (workflows/contact-import.ts) and answers; the worker works the
     * rows, and an import outlives a restart of the API or the worker.
     */
    async startImport(user: SessionUser, req: Request, filename: string) {
      const record = await receiveContactsCsv(db, imports, req, declaredLength(req), { filename, createdBy: user.username });
      const input: ContactImportInput = {
        importId: record.id,
        actor: user.username,
        funnelDefinition: FUNNEL_DEFINITION,
        rowsPerRange: ROWS_PER_RANGE,
        processOptions: { searchAttributes: true, continueAsNewAfterEvents: config.temporal.continueAsNewAfterEvents },
      };
      try {
        await temporal.workflow.start(CONTACT_IMPORT_WORKFLOW, { taskQueue: config.temporal.taskQueue, workflowId: contactImportWorkflowId(record.id), args: [input] });
      } catch (err) {
        await imports.delete(record.id);
        const mapped = toHttpError(err, record.id);
        throw mapped instanceof HttpError ? mapped : new HttpError(503, 'temporal_unavailable', `Could not start the import: ${(err as Error).message}`, { id: record.id });
      }
      return presentImport(record);
    },

    async getImport(id: string) {
      return presentImport(await requireImport(id));
    },

    async importRows(id: string, q: ImportRowsQuery) {
      await requireImport(id);
      const { rows, total } = await imports.rows(id, q);
      const items = rows.map((r) => ({ line: r.line, status: r.status, errors: r.errors, contactId: r.contact_id, opportunityId: r.opportunity_id }));
      return { items, total, limit: q.limit, offset: q.offset };
    },
  };
}

export type OpportunityService = ReturnType<typeof createOpportunityService>;
