/**
 * Leads into the funnel: one lead (landing form, partner, assisted deal) or a CRM CSV of them. Each
 * lead becomes an opportunity (store.ts) and, when new, a `digital-opportunity` process whose business
 * key is the opportunity id. A contact with an open opportunity is a duplicate: no second process.
 */
import { createHash } from 'node:crypto';
import { toIso as iso } from '../../lib/time';
import type { AppDeps } from '../deps';
import { HttpError, notFound } from '../errors';
import type { ProcessService } from '../processes/service';
import { createProcessStore } from '../processes/store';
import type { ImportRowsQuery, LeadBody } from '../schemas';
import type { SessionUser } from '../types';
import { checkRows, parseContactsCsv } from './contacts-csv';
import { runImport } from './import-runner';
import { createImportStore, type ImportRow } from './import-store';
import { ensureLead, type CleanLead, type LeadInput } from './store';

/** The lead funnel: one per opportunity, keyed by its id (the accounts API hands it over at signup). */
export const FUNNEL_DEFINITION = 'digital-opportunity';

/** The process's start variables (definitions/digital-opportunity.yaml): only the fields the lead has. */
function funnelVariables(opportunityId: string, lead: CleanLead): Record<string, unknown> {
  const compact = (o: Record<string, string | null>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
  return {
    opportunityId,
    contact: compact({ email: lead.email, name: lead.name, phone: lead.phone, rut: lead.rut }),
    ...(lead.company ? { company: compact({ name: lead.company.name, rut: lead.company.rut }) } : {}),
    channel: lead.channel,
    ...(lead.sourceDetail ? { sourceDetail: lead.sourceDetail } : {}),
  };
}

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

export function createOpportunityService({ db }: Pick<AppDeps, 'db'>, processes: ProcessService) {
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
      const started = await processes.start(user, { definitionId: FUNNEL_DEFINITION, businessKey: opportunityId, variables: funnelVariables(opportunityId, lead) }, { internal: true });
      return { processId: started.id, started: true };
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
     * Checks the file (a 422 when it can't be read at all), records the import and answers at once;
     * the rows are worked in the background (import-runner.ts).
     */
    async startImport(user: SessionUser, csv: string, filename: string) {
      const rows = checkRows(parseContactsCsv(csv), await imports.ownersByEmail());
      const record = await imports.create({
        filename,
        sha256: createHash('sha256').update(csv).digest('hex'),
        totalRows: rows.length,
        createdBy: user.username,
      });
      void runImport(imports, record.id, rows, (lead) => openLead(user, lead), user.username);
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
