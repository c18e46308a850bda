/**
 * What the pages read of the Cauce API's answers (see GET /api/openapi.json and api/schemas.ts for
 * all of them). Definitions, open tasks and timeline entries are the server's own types (type-only
 * imports, nothing is bundled), so the pages read exactly what the interpreter and the API produce.
 */
import type { OpenTask, ProcessDefinition, StageChange } from '../../../workflows/model';

export type { ProcessDefinition, UserTaskStep } from '../../../workflows/model';
export type { TimelineEntry, TimelineView } from '../../../api/processes/timeline';

export interface User {
  username: string;
  roles: string[];
  displayName: string | null;
}

export interface LoginResponse {
  token: string;
  user: User;
  expiresAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

type TaskStatus = 'open' | 'completed' | 'cancelled';

/** A task's open successor, as a completion's answer lists it (the open tasks the caller may see). */
export interface NextTask {
  id: string;
  stepId: string;
  title: string;
  candidateRoles: string[];
  assignee: string | null;
}

/** POST /api/tasks/:id/complete: answered once the instance moved on, with where it now stands. */
export interface TaskCompleted {
  taskId: string;
  outcome: string;
  completedBy: string;
  completedAt: string;
  instance?: { id: string; status: string; currentSteps: string[]; tasks: NextTask[] };
}

export interface Task {
  id: string;
  processId: string;
  definitionId?: string;
  businessKey?: string;
  stepId: string;
  title: string;
  status: TaskStatus;
  candidateRoles: string[];
  assignee: string | null;
  outcomes: string[];
  form: Record<string, unknown> | null;
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
  outcome: string | null;
  data: Record<string, unknown> | null;
  cancelReason: string | null;
  completedBy: string | null;
  completedAt: string | null;
}

type InstanceStatus = 'running' | 'completed' | 'cancelled' | 'failed' | 'terminated' | 'timed_out';

export interface ProcessSummary {
  id: string;
  definitionId: string;
  version: number;
  businessKey: string;
  status: InstanceStatus;
  stage: string | null;
  outcome: string | null;
  endReason: string | null;
  startedBy: string;
  startedAt: string;
  endedAt: string | null;
  updatedAt: string;
}

export interface ProcessDetail extends ProcessSummary {
  variables: Record<string, unknown>;
  /** true when steps and tasks come from the running workflow itself. */
  live: boolean;
  currentSteps?: string[];
  stageHistory?: StageChange[];
  /** Live: the open tasks, as the workflow lists them. Otherwise: every task row of the instance. */
  tasks?: Array<OpenTask | Task>;
  /** Live: the steps stopped until an operator acts. */
  incidents?: Array<{ id: string; stepId: string; type: string; message: string; raisedAt: string }>;
  /** Live: events received that no step has taken yet. */
  parkedEvents?: Array<{ name: string; eventId: string; receivedAt: string | null }>;
  temporalUiUrl?: string;
}

/** GET /api/incidents: a step (or a workflow task) that cannot go on until an operator acts. */
export interface Incident {
  id: string;
  processId: string;
  definitionId: string;
  businessKey: string;
  source: 'step' | 'workflow-task';
  stepId: string | null;
  type: string;
  message: string;
  location: { path: string; file: string | null; line: number | null; column: number | null } | null;
  status: 'open' | 'resolved';
  resolution: string | null;
  resolvedBy: string | null;
  raisedAt: string;
  resolvedAt: string | null;
}

/** GET /api/mail: a message the embedded SMTP sink received. */
export interface MailSummary {
  id: string;
  messageId: string | null;
  from: string | null;
  to: string[];
  subject: string | null;
  outboxId: string | null;
  template: string | null;
  attachments: Array<{ filename: string | null; contentType: string; size: number }>;
  size: number;
  receivedAt: string;
}

export interface MailMessage extends MailSummary {
  toHeader: string | null;
  text: string | null;
  html: string | null;
}

export interface DefinitionSummary {
  id: string;
  name: string;
  description?: string | null;
  latestVersion: number;
  versionCount?: number;
  deployedAt?: string;
}

interface VersionSummary {
  version: number;
  hash: string;
  deployedAt: string;
  deployedBy?: string;
}

export interface DefinitionVersion {
  id: string;
  version: number;
  definition: ProcessDefinition;
  source?: string;
  /** Only on GET /api/definitions/:id (the latest version). */
  versions?: VersionSummary[];
}

export interface StartProcessResponse {
  id: string;
}

/** One located problem in a 400/422 answer (`in` is absent in task-form problems). */
export interface Problem {
  in?: string;
  path: string;
  message: string;
}

/** POST /api/documents's answer. */
export interface DocumentCreated {
  id: string;
  sha256: string;
  contentType: string;
  size: number;
  kind: string | null;
}

/** GET /api/documents/:id/meta. */
export interface DocumentMeta extends DocumentCreated {
  filename: string;
  issuedAt: string | null;
  uploadedBy: string;
  uploadedAt: string;
  processId: string | null;
}

/** The one task a participant's link opens (GET /api/public/task-links/:token). */
export interface LinkTask {
  title: string;
  description: string | null;
  form: Record<string, unknown> | null;
  outcomes: Array<{ name: string; label: string }>;
  expiresAt: string;
}

/** GET /api/reports/billing-kpi: seed 002's month against the month before (volumes in BOB centavos). */
export interface KpiMonth {
  month: string;
  volume: number;
  ratio: number | null;
  verdict: 'APPROVED' | 'OBSERVED';
}

export interface BillingKpi {
  month: string;
  currency: string;
  thisMonth: number;
  lastMonth: number;
  ratio: number | null;
  verdict: 'APPROVED' | 'OBSERVED';
  approvedAtPercent: number;
  trend: KpiMonth[];
}

/** GET /api/reports/unattended-requests: a residential request that ended without a sale. */
export interface UnattendedRequest {
  processId: string;
  businessKey: string;
  reasonCode: string;
  reason: string;
  customerName: string;
  phone: string | null;
  owner: string;
  createdAt: string;
  ageDays: number;
  reenteredAs: string | null;
}

/** GET /api/reports/digital-sales: seed 002's month for the head of sales. */
export interface DigitalSalesReport {
  month: string;
  prospects: { total: number; byChannel: Record<string, number> };
  closed: { sold: { total: number; byPaymentMode: Record<string, number> }; unattended: { total: number; byReason: Record<string, number> }; businessHandovers: number; cancelled: number };
  inProgress: number;
  billing: { currency: string; thisMonth: number; lastMonth: number; ratio: number | null; verdict: string };
  sales: Array<{ processId: string; customerName: string | null; outcome: string | null; plan: string | null; paymentMode: string | null; unattendedReason: string | null; executive: string | null; endedAt: string | null }>;
}

/** GET /api/public/estimates/:token: a seed 001 estimate as its client sees it (amounts in minor units). */
export interface ClientEstimate {
  id: string;
  version: number;
  status: 'draft' | 'sent' | 'accepted' | 'declined' | 'superseded';
  customer: { name: string; email: string };
  currency: string;
  lines: Array<{ itemCode: string; description: string; quantity: number; unitPriceMinor: number; discountBp: number; taxRateBp: number; netMinor: number; taxMinor: number; totalMinor: number }>;
  totals: { grossMinor: number; discountMinor: number; netMinor: number; taxMinor: number; totalMinor: number };
}

/** An estimate version as the salesperson reads it (GET /api/estimates/:id), with every version of its series. */
export interface StaffEstimate extends ClientEstimate {
  estimateKey: string;
  processId: string;
  versions: Array<{ id: string; version: number; status: string }>;
  createdBy: string;
  createdAt: string;
}

/** A catalog item as GET /api/catalog lists it: the domain's own. */
export type { CatalogItem as CatalogEntry } from '../../../domain/estimates';

/** The client portal (seed 001): a customer's session and their invoices. */
export interface PortalSession {
  token: string;
  customer: { name: string; email: string; companyName: string | null };
  expiresAt: string;
}

export interface PortalInvoice {
  id: string;
  number: number | null;
  status: 'issued' | 'sent' | 'paid' | 'overdue' | 'void';
  description: string;
  amountMinor: number;
  currency: string;
  issuedAt: string | null;
  paidAt: string | null;
  dueAt: string | null;
  paymentUrl: string | null;
}

export interface PortalTicket {
  id: string;
  number: number;
  subject: string;
  status: 'open' | 'waiting-customer' | 'closed';
  createdAt: string;
  closedAt: string | null;
  messages?: Array<{ authorKind: 'customer' | 'staff'; author: string; body: string; at: string }>;
}

/** A person of seed 003's sales force, as GET /api/consultants lists them. */
export interface Consultant {
  id: string;
  kind: 'consultant' | 'customer';
  status: 'pre-registered' | 'active' | 'inactive' | 'rejected';
  name: string;
  email: string;
  country: string;
  documentType: string;
  documentNumber: string;
  zone: string;
  sponsorId: string | null;
  rank: string | null;
  channel: string;
  creditLimit: number;
  registeredAt: string;
  activatedAt: string | null;
}

/** The consultant page: their record with its history, registrations and network. */
export interface ConsultantDetail extends Consultant {
  stateHistory: Array<{ from: string; to: string; reason: string | null; at: string }>;
  registrations: Array<{ case: string; registerAs: string; channel: string; formType: string; at: string }>;
  network: Record<string, number>;
  documents: Array<{ type?: string; url?: string }>;
}

export interface ConsultantAgreements {
  pending: Array<{ id: string; code: string; version: number; title: string }>;
  accepted: Array<{ agreementId: string; code: string; version: number; active: boolean; page: string; acceptedAt: string }>;
}

/** What the signed-in customer keeps besides invoices: the estimate they accepted and the contracts they signed. */
export interface PortalDocuments {
  estimate: { id: string; version: number; status: string; totalMinor: number; currency: string; createdAt: string } | null;
  contracts: Array<{ id: string; title: string; signedAt: string; sha256: string }>;
}

/** A ticket as support sees it: whose it is, the process that works it, and its first response. */
export interface StaffTicket extends PortalTicket {
  customerId: string;
  processId: string;
  openedVia: 'portal' | 'staff';
  firstResponseAt: string | null;
  closeReason?: string | null;
}

/** A contract as its signing link shows it (seed 001). */
export interface ClientContract {
  contractId: string;
  title: string;
  status: 'sent' | 'signed';
  sha256: string;
  signerEmail: string;
  expiresAt: string;
  signedAt: string | null;
}

/** A definition's pipeline board (seed 001's leads). */
export interface Board {
  definitionId: string;
  columns: Array<{ stage: string; count: number }>;
}

export interface BoardCard {
  processId: string;
  businessKey: string;
  title: string;
  startedBy: string;
  startedAt: string;
  moves: Array<{ stage: string; taskId: string; outcome: string }>;
}

export interface BoardColumn {
  stage: string;
  next: string | null;
  items: BoardCard[];
}
