/**
 * The HTTP API: `createApp({ db, temporal, config })`. Routes come from the feature folders
 * (`api/<feature>/routes.ts`), each backed by a service with the rules; see routing.ts for how
 * inputs are validated and openapi.ts for the published contract.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { accountRoutes } from './accounts/routes';
import { adminRoutes } from './admin/routes';
import { createAdminService } from './admin/service';
import { createAccountService } from './accounts/service';
import { leadRoutes } from './leads/routes';
import { createLeadService } from './leads/service';
import { portalRoutes } from './portal/routes';
import { createPortalService, type PortalService } from './portal/service';
import { createMessageRouter } from './messages/router';
import { createAuthService } from './auth/service';
import { authRoutes } from './auth/routes';
import type { AppDeps } from './deps';
import { createDefinitionsService } from './definitions/service';
import { definitionRoutes, YAML_TYPES } from './definitions/routes';
import { documentRoutes } from './documents/routes';
import { createDocumentService } from './documents/service';
import { MAX_DEFINITION_BYTES } from '../lib/definitions/limits';
import { errorHandler, HttpError } from './errors';
import { createHealthService } from './health/service';
import { incidentRoutes } from './incidents/routes';
import { createIncidentService } from './incidents/service';
import { healthRoutes } from './health/routes';
import { loggableUrl, logger } from './logger';
import { mailRoutes } from './mail/routes';
import { createMailService } from './mail/service';
import { buildOpenApi } from './openapi';
import { createOpportunityService } from './opportunities/service';
import { opportunityRoutes } from './opportunities/routes';
import { createProcessService } from './processes/service';
import { processRoutes } from './processes/routes';
import { defineRoute, mountRoutes, type RouteDef } from './routing';
import { createReportService } from './reports/service';
import { noStore, securityHeaders } from './security-headers';
import { reportRoutes } from './reports/routes';
import { invoiceRoutes } from './invoices/routes';
import { createTaskService } from './tasks/service';
import { taskRoutes } from './tasks/routes';
import { createTaskLinkService } from './task-links/service';
import { taskLinkRoutes } from './task-links/routes';
import { bankStatementRoutes } from './bank-statements/routes';
import { createBankStatementService } from './bank-statements/service';
import { coverageRoutes } from './coverage/routes';
import { estimateRoutes } from './estimates/routes';
import { createEstimateService } from './estimates/service';
import { prospectRoutes } from './residential-sales/routes';
import { createProspectService } from './residential-sales/service';
import { createCoverageService } from './coverage/service';
import './types';
import { webAppRouter } from './web-app';
import { WEBHOOKS_PATH, webhookRoutes } from './webhooks/routes';
import { createWebhookService } from './webhooks/service';
import { ticketRoutes } from './tickets/routes';
import { blacklistRoutes } from './blacklist/routes';
import { createBlacklistService } from './blacklist/service';
import { agreementRoutes } from './agreements/routes';
import { createAgreementService } from './agreements/service';
import { consultantRoutes } from './consultants/routes';
import { createConsultantService } from './consultants/service';
import { createTicketService } from './tickets/service';
import { contractRoutes } from './contracts/routes';
import { createContractService } from './contracts/service';
import { boardRoutes } from './boards/routes';
import { createBoardService } from './boards/service';

export type { AppDeps } from './deps';

/** Every route the API serves (also the source of the OpenAPI document). */
export function apiRoutes(deps: AppDeps): { routes: RouteDef[]; auth: ReturnType<typeof createAuthService>; portal: PortalService } {
  const auth = createAuthService(deps.db, deps.config.auth);
  const portal = createPortalService(deps);
  // One process service: the accounts and leads APIs start and signal processes through it too.
  const processes = createProcessService(deps);
  const documents = createDocumentService(deps);
  const messages = createMessageRouter(deps, processes);
  const routes: RouteDef[] = [
    ...healthRoutes(createHealthService(deps)),
    ...authRoutes(auth),
    ...definitionRoutes(createDefinitionsService(deps.db)),
    ...processRoutes(processes),
    ...taskRoutes(createTaskService(deps, documents)),
    ...opportunityRoutes(createOpportunityService(deps, processes)),
    ...reportRoutes(createReportService(deps)),
    ...coverageRoutes(createCoverageService(deps)),
    ...bankStatementRoutes(createBankStatementService(deps)),
    ...estimateRoutes(createEstimateService(deps, messages)),
    ...portalRoutes(portal),
    ...leadRoutes(createLeadService(deps, processes)),
    ...prospectRoutes(createProspectService(deps, processes)),
    ...accountRoutes(createAccountService(deps, messages)),
    ...invoiceRoutes(deps),
    ...incidentRoutes(createIncidentService(deps, processes)),
    ...adminRoutes(createAdminService(deps)),
    ...mailRoutes(createMailService(deps)),
    ...documentRoutes(documents, deps.config.documents.maxBytes),
    ...taskLinkRoutes(createTaskLinkService(deps)),
    ...webhookRoutes(createWebhookService(deps, messages)),
    ...ticketRoutes(createTicketService(deps, processes, messages)),
    ...blacklistRoutes(createBlacklistService(deps)),
    ...consultantRoutes(createConsultantService(deps, processes, messages)),
    ...agreementRoutes(createAgreementService(deps)),
    ...contractRoutes(createContractService(deps, messages)),
    ...boardRoutes(createBoardService(deps)),
  ];
  const document: { value?: unknown } = {};
  routes.push(
    defineRoute({
      method: 'get',
      path: '/api/openapi.json',
      summary: 'This document (public)',
      tag: 'meta',
      auth: 'public',
      responses: { 200: { description: 'OpenAPI 3.1 document' } },
      handler: async () => (document.value ??= buildOpenApi(routes)),
    }),
  );
  return { routes, auth, portal };
}

export interface AppOptions {
  /** The built web app (ui/dist) to serve at `/`; unset: API only. */
  webAppDir?: string;
}

export function createApp(deps: AppDeps, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // req.ip: the client's address, past the configured number of proxies (the login limits key on it).
  app.set('trust proxy', deps.config.http.trustProxyHops || false);
  app.use(securityHeaders());
  app.use(['/api', '/healthz'], noStore);

  app.use((req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', req.id);
    req.log = logger.child({ reqId: req.id });
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      req.log![level]({ method: req.method, url: loggableUrl(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  });
  const { routes, auth, portal } = apiRoutes(deps);
  const authenticate = (req: express.Request, kind: 'staff' | 'portal') => (kind === 'portal' ? portal.authenticateRequest(req) : auth.authenticateRequest(req));
  // Routes that stream their body (CSV imports, documents) read it before any parser could buffer it.
  mountRoutes(app, routes.filter((r) => r.streamBody), authenticate);
  // A gateway signs the bytes it sent: its webhooks get them as they came, before any JSON parse.
  app.use(WEBHOOKS_PATH, express.raw({ type: () => true, limit: '1mb' }));
  app.use(express.json({ limit: '1mb' }));
  // Only the web-to-lead endpoint takes a plain HTML form's post (its snippet is embedded in other sites).
  app.use('/api/public/leads', express.urlencoded({ extended: false, limit: '16kb' }));
  app.use(express.text({ type: YAML_TYPES, limit: MAX_DEFINITION_BYTES }));
  mountRoutes(app, routes.filter((r) => !r.streamBody), authenticate);
  if (options.webAppDir) app.use(webAppRouter(options.webAppDir));

  app.use((req, _res, next) => next(new HttpError(404, 'route_not_found', `No route for ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}
