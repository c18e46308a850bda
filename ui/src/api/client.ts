/**
 * The one module that talks to the Cauce API. Every call goes through `request`, which adds the
 * bearer token and turns the API's `{ error: { code, message, details } }` answers into `ApiError`s,
 * so pages handle failures one way. A 401 on an authenticated call means the session is gone: the
 * session layer registers `onSessionExpired` to send the user back to sign-in.
 */
import type {
  BillingKpi,
  Board,
  BoardColumn,
  ClientContract,
  ClientEstimate,
  DigitalSalesReport,
  UnattendedRequest,
  DefinitionSummary,
  DefinitionVersion,
  DocumentCreated,
  DocumentMeta,
  Incident,
  LoginResponse,
  MailMessage,
  MailSummary,
  Page,
  Problem,
  ProcessDetail,
  ProcessSummary,
  StartProcessResponse,
  Task,
  TaskCompleted,
  TimelineEntry,
  TimelineView,
  User,
  LinkTask,
  PortalInvoice,
  PortalSession,
  PortalTicket,
  StaffTicket,
  Consultant,
  ConsultantDetail,
  ConsultantAgreements,
  PortalDocuments,
  StaffEstimate,
  CatalogEntry,
} from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Located problems of a 400/422: request validation lists them, task-form validation nests them under `problems`. */
  get problems(): Problem[] {
    const d = this.details as { problems?: unknown } | unknown[] | null;
    const list = Array.isArray(d) ? d : Array.isArray((d as { problems?: unknown } | null)?.problems) ? (d as { problems: unknown[] }).problems : [];
    return list.filter((p): p is Problem => typeof (p as Problem)?.path === 'string' && typeof (p as Problem)?.message === 'string');
  }
}

/** Any thrown value as an ApiError, so pages show every failure the same way (status 0: it never reached the API). */
export const asApiError = (err: unknown): ApiError =>
  err instanceof ApiError ? err : new ApiError(0, 'client', typeof (err as Error | null)?.message === 'string' ? (err as Error).message : String(err));

let token: string | null = null;
let onSessionExpired: (() => void) | null = null;

export function setToken(value: string | null): void {
  token = value;
}

export function setSessionExpiredHandler(handler: (() => void) | null): void {
  onSessionExpired = handler;
}

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const parseJson = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

/** `bearer`: a token of its own (the client portal's session), sent instead of the staff session's. */
async function request<T>(method: string, path: string, options: { body?: unknown; query?: Query; auth?: boolean; bearer?: string; headers?: Record<string, string> } = {}): Promise<T> {
  const auth = options.bearer === undefined && (options.auth ?? true);
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const sent = options.bearer ?? (auth ? token : null);
  if (sent) headers.authorization = `Bearer ${sent}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  } catch (err) {
    throw new ApiError(0, 'network', `Cannot reach the Cauce server (${(err as Error).message}). Check that it is running and try again.`);
  }
  const body = parseJson(await res.text());
  if (res.ok) return body as T;
  throw failure(res.status, res.statusText, body, auth);
}

/** The API's `{ error: { code, message, details } }` answer as an ApiError; a 401 on an authenticated call ends the session. */
function failure(status: number, statusText: string, body: unknown, auth = true): ApiError {
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  const apiError = new ApiError(status, error?.code ?? `http_${status}`, error?.message ?? `The server answered ${status} ${statusText}`, error?.details ?? null);
  if (status === 401 && auth) onSessionExpired?.();
  return apiError;
}

/**
 * POST /api/documents through XMLHttpRequest, the one browser API that reports upload progress
 * (fetch does not). `kind` and `issuedAt` go before `file`: the API reads the fields in order and
 * checks the file against the kind as it streams.
 */
function uploadDocument(file: File, fields: { kind?: string; issuedAt?: string }, onProgress?: (fraction: number) => void): Promise<DocumentCreated> {
  const form = new FormData();
  if (fields.kind) form.append('kind', fields.kind);
  if (fields.issuedAt) form.append('issuedAt', fields.issuedAt);
  form.append('file', file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/documents');
    xhr.setRequestHeader('accept', 'application/json');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as DocumentCreated);
      else reject(failure(xhr.status, xhr.statusText, body));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Cannot reach the Cauce server: the upload did not finish. Check that it is running and try again.'));
    xhr.send(form);
  });
}

/**
 * A document's bytes, saved under its file name. The download needs the bearer token, which a plain
 * link cannot send: the bytes are fetched, then handed to the browser as a blob URL.
 */
/** Saves what GET `path` answers as `filename`: the bytes are fetched with the session's token, so no token sits in a link. */
async function downloadFile(path: string, filename: string, bearer: string | null = token): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  } catch (err) {
    throw new ApiError(0, 'network', `Cannot reach the Cauce server (${(err as Error).message}).`);
  }
  if (!res.ok) throw failure(res.status, res.statusText, parseJson(await res.text()));
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // After the click has started the download; revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

interface TaskQuery extends Query {
  status?: 'open' | 'completed' | 'cancelled' | 'all';
  role?: string;
  assignee?: string;
  processId?: string;
  limit?: number;
  offset?: number;
}

interface ProcessQuery extends Query {
  definitionId?: string;
  version?: number;
  status?: string;
  stage?: string;
  businessKey?: string;
  limit?: number;
  offset?: number;
}

/** A line as the salesperson writes it: the price and tax come from the catalog. */
export interface EstimateLineInput { itemCode: string; quantity: number; discountBp?: number }

export const api = {
  login: (username: string, password: string) => request<LoginResponse>('POST', '/api/auth/login', { body: { username, password }, auth: false }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<User>('GET', '/api/auth/me'),

  consultants: (query: { status?: string; zone?: string; kind?: string; limit?: number; offset?: number }) => request<Page<Consultant>>('GET', '/api/consultants', { query }),
  consultant: (id: string) => request<ConsultantDetail>('GET', `/api/consultants/${id}`),
  consultantAgreements: (id: string) => request<ConsultantAgreements>('GET', `/api/consultants/${id}/agreements`),
  changeConsultantStatus: (id: string, change: 'inactivation' | 'reactivation', reason: string) =>
    request<{ processId: string; status: string }>('POST', `/api/consultants/${id}/${change}`, { body: { reason } }),
  catalog: () => request<{ items: CatalogEntry[] }>('GET', '/api/catalog'),
  estimate: (id: string) => request<StaffEstimate>('GET', `/api/estimates/${id}`),
  createEstimate: (body: { processId: string; customer: { name: string; email: string }; currency: string; lines: EstimateLineInput[] }) => request<StaffEstimate>('POST', '/api/estimates', { body }),
  reviseEstimate: (id: string, lines: EstimateLineInput[]) => request<StaffEstimate>('POST', `/api/estimates/${id}/revisions`, { body: { lines } }),
  sendEstimate: (id: string) => request<{ sent: true; email: string; expiresAt: string }>('POST', `/api/estimates/${id}/send`, { body: {} }),
  downloadEstimate: (id: string, version: number) => downloadFile(`/api/estimates/${id}/pdf`, `cotizacion-v${version}.pdf`),
  leadEstimates: (processId: string) => request<{ items: Array<{ id: string; version: number; status: string; totals: { totalMinor: number }; currency: string; createdAt: string }> }>('GET', '/api/estimates', { query: { processId } }),
  customerInvoices: (customerId: string) => request<Page<PortalInvoice>>('GET', '/api/invoices', { query: { customerId } }),
  customerTickets: (customerId: string) => request<Page<PortalTicket>>('GET', '/api/tickets', { query: { customerId } }),
  tickets: (query: { status?: string; processId?: string; limit?: number; offset?: number }) => request<Page<StaffTicket>>('GET', '/api/tickets', { query }),
  ticket: (id: string) => request<StaffTicket>('GET', `/api/tickets/${id}`),
  leadNotes: (processId: string) => request<{ items: Array<{ id: string; author: string; body: string; createdAt: string }> }>('GET', `/api/leads/${encodeURIComponent(processId)}/notes`),
  board: (definitionId: string) => request<Board>('GET', `/api/boards/${definitionId}`),
  boardColumn: (definitionId: string, stage: string, after?: string) => request<BoardColumn>('GET', `/api/boards/${definitionId}/columns/${encodeURIComponent(stage)}`, { query: { limit: 25, after } }),
  tasks: (query: TaskQuery = {}) => request<Page<Task>>('GET', '/api/tasks', { query }),
  task: (id: string) => request<Task>('GET', `/api/tasks/${encodeURIComponent(id)}`),
  claimTask: (id: string) => request<unknown>('POST', `/api/tasks/${encodeURIComponent(id)}/claim`),
  releaseTask: (id: string) => request<unknown>('POST', `/api/tasks/${encodeURIComponent(id)}/release`),
  completeTask: (id: string, outcome: string, data: Record<string, unknown>) =>
    request<TaskCompleted>('POST', `/api/tasks/${encodeURIComponent(id)}/complete`, { body: { outcome, data } }),

  processes: (query: ProcessQuery = {}) => request<Page<ProcessSummary>>('GET', '/api/processes', { query }),
  process: (id: string) => request<ProcessDetail>('GET', `/api/processes/${encodeURIComponent(id)}`),
  /** `business` (the default): what happened to the sale; `technical`: that plus the Temporal events. */
  history: (id: string, view: TimelineView = 'business') =>
    request<{ view: TimelineView; items: TimelineEntry[] }>('GET', `/api/processes/${encodeURIComponent(id)}/history`, { query: { view } }),
  startProcess: (definitionId: string, businessKey: string, variables: Record<string, unknown>, version?: number) =>
    request<StartProcessResponse>('POST', '/api/processes', { body: { definitionId, businessKey, variables, ...(version ? { version } : {}) } }),
  cancelProcess: (id: string, reason: string) => request<{ accepted: boolean }>('POST', `/api/processes/${encodeURIComponent(id)}/cancel`, { body: { reason } }),

  billingKpi: (month: string) => request<BillingKpi>('GET', '/api/reports/billing-kpi', { query: { month } }),
  digitalSales: (month: string) => request<DigitalSalesReport>('GET', '/api/reports/digital-sales', { query: { month } }),
  /** The digital-sales report as a file (the sales as CSV, or a workbook). */
  downloadDigitalSales: (month: string, format: 'csv' | 'xlsx') => downloadFile(`/api/reports/digital-sales?month=${encodeURIComponent(month)}&format=${format}`, `ventas-digitales-${month}.${format}`),
  unattendedRequests: (open: boolean) => request<Page<UnattendedRequest>>('GET', '/api/reports/unattended-requests', { query: { open, limit: 200 } }),
  reenter: (processId: string) => request<{ id: string }>('POST', `/api/residential-sales/${encodeURIComponent(processId)}/reentry`),

  incidents: (query: { status?: 'open' | 'resolved' | 'all'; processId?: string } = {}) => request<Page<Incident>>('GET', '/api/incidents', { query }),
  retryIncident: (id: string) => request<Incident>('POST', `/api/incidents/${encodeURIComponent(id)}/retry`),
  terminateIncident: (id: string, reason: string) => request<unknown>('POST', `/api/incidents/${encodeURIComponent(id)}/terminate`, { body: { reason } }),

  /** The client's estimate by its link (no session). */
  clientEstimate: (token: string) => request<ClientEstimate>('GET', `/api/public/estimates/${encodeURIComponent(token)}`, { auth: false }),
  /** Accepting sends no body; a decline may say why. */
  answerEstimate: (token: string, action: 'accept' | 'decline', reason?: string) =>
    request<ClientEstimate>('POST', `/api/public/estimates/${encodeURIComponent(token)}/${action}`, { ...(reason ? { body: { reason } } : {}), auth: false }),
  /** A new customer's portal password, through the welcome e-mail's link (no session). */
  setPortalPassword: (token: string, password: string) =>
    request<{ activated: true; email: string }>('POST', `/api/public/portal-setup/${encodeURIComponent(token)}`, { body: { password }, auth: false }),
  clientContract: (token: string) => request<ClientContract>('GET', `/api/public/contracts/${encodeURIComponent(token)}`, { auth: false }),
  signContract: (token: string, body: { method: 'typed' | 'drawn'; signerName: string; typedSignature?: string; drawingPng?: string; agree: true }) =>
    request<{ signed: true; contractId: string; signedAt: string; sha256: string }>('POST', `/api/public/contracts/${encodeURIComponent(token)}/sign`, { body, auth: false }),
  /** The client portal: its own session, never the staff one. */
  portalLogin: (email: string, password: string) => request<PortalSession>('POST', '/api/public/portal/login', { body: { email, password }, auth: false }),
  portalInvoices: (portalToken: string) => request<{ items: PortalInvoice[] }>('GET', '/api/portal/invoices', { bearer: portalToken }),
  portalLogout: (portalToken: string) => request<void>('POST', '/api/portal/logout', { bearer: portalToken }),
  portalTickets: (portalToken: string) => request<{ items: PortalTicket[] }>('GET', '/api/portal/tickets', { bearer: portalToken }),
  portalTicket: (portalToken: string, id: string) => request<PortalTicket>('GET', `/api/portal/tickets/${id}`, { bearer: portalToken }),
  openPortalTicket: (portalToken: string, subject: string, body: string) => request<{ ticketId: string }>('POST', '/api/portal/tickets', { bearer: portalToken, body: { subject, body } }),
  replyPortalTicket: (portalToken: string, id: string, body: string, key: string) => request<{ received: true }>('POST', `/api/portal/tickets/${id}/replies`, { bearer: portalToken, body: { body }, headers: { 'idempotency-key': key } }),
  portalDocuments: (portalToken: string) => request<PortalDocuments>('GET', '/api/portal/documents', { bearer: portalToken }),
  downloadPortalEstimate: (portalToken: string, id: string, version: number) => downloadFile(`/api/portal/estimates/${id}/pdf`, `cotizacion-v${version}.pdf`, portalToken),
  downloadPortalContract: (portalToken: string, id: string) => downloadFile(`/api/portal/contracts/${id}/pdf`, 'contrato-firmado.pdf', portalToken),
  downloadPortalInvoice: (portalToken: string, id: string, number: number | null) => downloadFile(`/api/portal/invoices/${id}/pdf`, `factura-${number ?? id}.pdf`, portalToken),
  /** The outside participant's page: the token is the credential, no session is sent. */
  linkTask: (token: string) => request<LinkTask>('GET', `/api/public/task-links/${encodeURIComponent(token)}`, { auth: false }),
  completeLinkTask: (token: string, outcome: string, data: Record<string, unknown>) =>
    request<{ completed: true; outcome: string }>('POST', `/api/public/task-links/${encodeURIComponent(token)}/complete`, { body: { outcome, data }, auth: false }),

  mail: (query: { to?: string } = {}) => request<Page<MailSummary>>('GET', '/api/mail', { query }),
  mailMessage: (id: string) => request<MailMessage>('GET', `/api/mail/${encodeURIComponent(id)}`),

  uploadDocument,
  downloadDocument: (id: string, filename: string) => downloadFile(`/api/documents/${encodeURIComponent(id)}`, filename),
  /** An invoice's PDF (to print it). */
  downloadInvoice: (id: string, number: number | string) => downloadFile(`/api/invoices/${encodeURIComponent(id)}/pdf`, `factura-${number}.pdf`),
  documentMeta: (id: string) => request<DocumentMeta>('GET', `/api/documents/${encodeURIComponent(id)}/meta`),

  definitions: () => request<{ items: DefinitionSummary[] }>('GET', '/api/definitions'),
  definition: (id: string) => request<DefinitionVersion>('GET', `/api/definitions/${encodeURIComponent(id)}`),
  definitionVersion: (id: string, version: number) => request<DefinitionVersion>('GET', `/api/definitions/${encodeURIComponent(id)}/versions/${version}`),
};
