/**
 * The one registry of activity names a definition may call (`type: activity`, `onOverdue.notify`).
 * Pure data, importable without a database: the definition validator checks YAML against it, and a
 * test checks that `createDomainActivities` provides exactly these names.
 */
export interface ActivityInfo {
  description: string;
}

export const activityCatalog: Record<string, ActivityInfo> = {
  'accounts.createTrial': {
    description: 'Create a trial account and its subscription { email, rut, name, planCode, channel, startedAt?, opportunityId?, contactId?, companyId?, ownerId? } → { accountId, planCode, basePrice, currency, trialDays, expiresAt, status }. Trial length comes from the plan, counted from startedAt; a used email fails with EmailTaken.',
  },
  'accounts.createFreemium': {
    description: 'Create a freemium account ($0, no time limit) and its free subscription { email, rut, name, channel, opportunityId?, contactId?, companyId?, ownerId? } → { accountId, planCode, status }. A used email fails with EmailTaken.',
  },
  'accounts.activate': {
    description: 'Activate a trial or suspended account { accountId, reason? } → { accountId, status, changedAt }.',
  },
  'accounts.suspend': {
    description: 'Suspend an account { accountId, reason } → { accountId, status, changedAt }. A trial suspended this way expired unpaid: conversion lost, operation restricted, opportunity lost.',
  },
  'subscriptions.activateModules': {
    description: 'Add and provision modules beyond the base plan { accountId, modules: [code], windowEndsAt? } → { items, total, windowEndsAt, beforeFirstInvoice }. Unpaid items count as RRR won; windowEndsAt opens the renewal window once.',
  },
  'subscriptions.revokeUnpaid': {
    description: 'Revoke (and deprovision) the unpaid modules of an account when its renewal window closes { accountId, reason? } → { revoked: [code] }.',
  },
  'subscriptions.startBilling': {
    description: "Start the account's recurring billing once its first period is paid { accountId, anchorAt? } (anchorAt: when the periods count from, default the first payment) → { subscriptionId, workflowId, started }: one workflow per subscription (subscription-billing/<id>), monthly renewals with dunning. Idempotent: started is false when it already runs.",
  },
  'subscriptions.startForWorkOrder': {
    description: "Start monthly billing of a closed work order's product to its customer (seed 004) { workOrderId, customerEmail, monthlyPrice, currency, country: CL|CO|BO, channel, product?, sellerName?, anchorAt? } → { subscriptionId, workflowId, started }: one subscription per work order, renewed every calendar month from anchorAt (default: when the OT's billing started) in the country's time zone, with dunning. Idempotent: started is false when it already runs.",
  },
  'billing.checkout': {
    description: 'A store payment of a digital account { accountId, amount, currency?, method, transactionId, paidAt?, sellerName?, sellerSource? } → order, payment, invoice on Canal Digital with lines (first-period: new customer; later: upgrade/MRR), paid items, account states; { invoiceNumber, kind, newCustomer, duplicate, ... }. A transaction id seen before returns duplicate: true and writes nothing.',
  },
  'payments.record': {
    description: 'Record a payment of an account or a consultant { accountId | consultantId, amount, currency?, method, reference?, paidAt? } → { paymentId, amount, currency, paidAt }.',
  },
  'subscriptions.startForCustomer': {
    description: "Start monthly billing of a product to a customer without a digital account (seed 002's postpaid plans) { customerTaxId, customerName, customerEmail, product, monthlyPrice, currency, country: CL|CO|BO, channel, sellerName?, anchorAt?, customerId? (seed 001's customer: its renewals are theirs, with a payment page at the gateway) } → { subscriptionId, workflowId, started }: one subscription per step execution, renewed every calendar month from anchorAt (default: now) in the country's time zone, with dunning; the first invoice comes a month after the anchor (postpaid).",
  },
  'invoices.issue': {
    description: 'Issue an invoice with the next sequential number { customerTaxId, customerName, description, amount, currency?, channel?, sellerName?, accountId?, workOrderId? } → { invoiceId, number, channel, sellerName, amount }.',
  },
  'invoices.issueDraft': {
    description: 'Issue a draft invoice (seed 001) { invoiceId } → { invoiceId, number, status: issued, channel, sellerName, amount, currency, issuedAt }: the next number, with no gaps, and today as its date. An invoice already issued is answered as it is; a void one is InvalidInput; one whose lines do not add up to its amount is TotalsMismatch, refused before a number is taken.',
  },
  'invoices.markSent': {
    description: 'Mark an issued invoice sent to the customer { invoiceId } → { invoiceId, number, status: sent, ... }. Idempotent; a draft or void invoice is InvalidInput.',
  },
  'invoices.void': {
    description: 'Void an invoice that is not paid { invoiceId } → { invoiceId, number, status: void, ... }; an issued number stays taken (voided, not reused). Idempotent; a paid invoice is InvalidInput.',
  },
  'invoices.openPayment': {
    description: "Open the payment gateway's page for an issued invoice (seed 001) { invoiceId, customerEmail } → { invoiceId, number, status, paymentUrl, ... }: a Stripe Checkout Session (or PayPal order) for the invoice's amount, its id kept on the invoice, so a retry gets the same page. paymentUrl is null when no gateway is configured (payments in temporal.config.yaml). A draft, void or paid invoice is InvalidInput.",
  },
  'invoices.recordPayment': {
    description: "Record a gateway's payment of a customer's invoice (seed 001) { invoiceId, gateway, paymentId, amountMinor, currency, paidAt?, savedMethod? } → { invoiceId, number, status: paid, paidAt, paymentId, firstPayment }: the payment row (once per step) and the invoice paid, in one transaction; savedMethod { gateway, customerRef, methodRef }, the card the payment saved, is kept on the customer and charged for the renewals. An amount or currency that is not the invoice's is InvalidInput; an invoice paid before keeps its first payment (firstPayment false).",
  },
  'invoices.markOverdue': {
    description: 'Mark an issued or sent invoice overdue, its due date passed unpaid (seed 001) { invoiceId } → { invoiceId, number, status: overdue, ... }. Idempotent; a paid invoice stays paid; a draft or void one is InvalidInput.',
  },
  'notifications.send': {
    description: 'Queue a notification in the outbox { channel?: email|sms|whatsapp, to, template, language?: es|en (default es), data?, attachments?: [{ invoicePdf: <invoice id> }] (e-mail only, rendered when sent) } → { notificationId, status }. Delivery happens elsewhere (the outbox drainer); the template (definitions/templates/<language>/) must exist and its variables must all be in data.',
  },
  'estimates.recordAnswer': {
    description: "Record the client's answer to an estimate version (seed 001) { estimateId, decision: accepted|declined, reason?, answeredBy } → { recorded, estimateId, version, status, totalMinor, currency }. Marks the version only while it waits for an answer (sent); recorded is false when it was revised (status superseded) or answered otherwise. Idempotent.",
  },
  'customers.convert': {
    description: "Convert a won lead to a customer (seed 001) { estimateId (the accepted estimate of this process), contact: { name, email, phone? }, company?: { name, taxId? }, convertedBy } → { customerId, invoiceId, invoiceStatus: draft, amount, currency, portalEmail, monthlyAmount, product } (monthlyAmount and product: what the estimate's recurring catalog items bill every month; 0 and null when none recurs). In one transaction: the customer (one per process), the client's portal credentials with a set-password link e-mailed (portal-welcome), and the estimate as a draft invoice (no number until issued). Idempotent; an estimate that is not accepted, or not this process's, is InvalidInput; an e-mail that already signs another customer into the portal is PortalEmailTaken (not retried).",
  },
  'contractSignature.prepare': {
    description: "Prepare the contract of this process's accepted estimate for the client's signature (seed 001) { estimateId, contact: { name, email }, company?: { name, taxId? }, preparedBy } → { contractId, title, status: sent, sha256, signerEmail }: its PDF and the PDF's sha256, and a single-use link (15 days) e-mailed to the client (contract-to-sign); a new contract of the process revokes earlier links. Once per step.",
  },
  'contractSignature.seal': {
    description: "Seal a contract with the client's signature (seed 001) { contractId, method: typed|drawn, signerName, signerEmail, typedSignature? | drawingPng? (base64 PNG), ip, userAgent?, signedAt, documentSha256 } → { contractId, status: signed, sha256, signedAt }: the evidence kept once and an audit page (signer, time, IP, browser, document hash, the signature) appended to the signed PDF. A hash that is not the contract's, or a drawing that is not a PNG, is InvalidInput; a contract sealed before is answered as it is.",
  },
  'tickets.open': {
    description: "Open a support ticket (seed 001) { ticketId, customerId, subject, body, openedVia: portal|staff, openedBy } → { ticketId, number, status, customerName, customerEmail }: the ticket and its first message, once (the ticket id is the process's business key). An unknown customer is NotFound.",
  },
  'tickets.reply': {
    description: "A message on a ticket { ticketId, authorKind: customer|staff, author, body (at most 5000 characters) } → { messageId, at, ticketId, number, status, firstResponseAt }: once per step; a staff reply leaves the ticket waiting for the customer (the first one is its first response), a customer's reopens it.",
  },
  'tickets.close': {
    description: 'Close a ticket { ticketId, reason } → { ticketId, number, status: closed, closedAt }. Idempotent: a ticket closed before keeps its first close.',
  },
  'crm.lookupClient': {
    description: 'Look a client up in the CRMs (HubSpot, CRM Nova, ONYX, RR) { email?, taxId? } → { found, systems, inOnyx, inRr, commercialOwner, ownerSource }.',
  },
  'opportunities.assignOwner': {
    description: "Owner of an opportunity { opportunityId } → { ownerId, ownerName, username }: the opportunity's own owner, else the next active sales owner round-robin; all null when there is none.",
  },
  'opportunities.linkAccount': {
    description: "Tie the account the contact created to its opportunity { opportunityId, accountId } → { opportunityId, accountId, status }. The opportunity stays open for the account's process to close (won when paid, lost when a trial expires).",
  },
  'opportunities.close': {
    description: 'Close an open opportunity { opportunityId, result: won|lost, accountId? (won), reason? (lost) } → { opportunityId, status, accountId, lostReason, closedAt }.',
  },
  'contracts.requestNumber': {
    description: 'Reserve the next contract consecutive for a client { system: onyx|rr, clientTaxId, clientName, requestedBy? } → { contractId, contractNumber, system }. Kept for instances started before provisioning handed out consecutives; new definitions use contracts.register.',
  },
  'contracts.register': {
    description: "Record the contract consecutive provisioning handed out { system: onyx|rr, contractNumber, clientTaxId, clientName, requestedBy?, registeredBy? } → { registered: true, contractId, contractNumber, system, registeredBy, registeredAt }, or { registered: false, contractNumber, system, takenBy: { clientName, clientTaxId, registeredAt } } when another sale holds that number in that system (unique per system).",
  },
  'portfolio.check': {
    description: "A customer's portfolio (cartera) by tax id { customerTaxId } → { clear, overdueInvoices: [{ number, description, amount, currency, dueAt }], suspendedSubscriptions: [{ subscriptionId, planCode, status }], owed: [{ currency, amount }], summary, checkedAt }: invoices past due and unpaid, and suspended subscriptions.",
  },
  'coverage.check': {
    description: "Seed 002's coverage check (Smartflex/GIS, the coverage_zones table) { zone, speedMbps, technology? } → { covered, zone, speedMbps, options: [{ technology, maxSpeedMbps }] (fastest first), reason } (reason says why not: no coverage in the zone, or not at that speed).",
  },
  'plans.quote': {
    description: "Quote a catalog plan for the customer's zone { planCode, zone } → { quoted: true, planCode, name, technology, speedMbps, monthlyTariffMinor, installationFeeMinor, monthlyTariff, installationFee, currency } or { quoted: false, planCode, reason } (unknown or inactive plan, or a technology or speed the zone lacks).",
  },
  'requests.recordUnattended': {
    description: "Record a residential request that ended without a sale (seed 002, step 19) { reasonCode: no-coverage|no-capacity|offer-refused|no-payment|cancelled, reason, customerName, phone?, owner } → { requestId, reasonCode, reason, recordedAt }: one row per instance, for the unattended-requests report and re-entry.",
  },
  'deposits.match': {
    description: "Match a transfer receipt against the imported bank statements (seed 002, step 12) { depositNumber, amount, depositedOn, operationType: transfer|deposit|qr, depositor } → { result: matched|mismatch|not-found|ambiguous, lineId, mismatches: [what the statement says otherwise], summary }. A matched deposit is tied to this instance (deposit_claims); a deposit that already paid for another sale, or several lines, is ambiguous (never auto-matched).",
  },
  'deposits.claim': {
    description: "Tie a deposit collections confirmed by hand to this instance (seed 002) { depositNumber, confirmedBy } → the shape of deposits.match: { result: matched } when the deposit is this sale's, or { result: ambiguous, summary } naming the sale it already paid for.",
  },
  'requests.markReentered': {
    description: "Mark an unattended request as taken up by this instance's re-entry (seed 002, step 20) { instanceId } → { instanceId, reenteredAs, marked, reasonCode, reason } (marked false: another re-entry holds it).",
  },
  'workOrders.create': {
    description: 'Open a work order (OT) { contractNumber, clientTaxId, clientName, product, documents?: [{ kind, documentId }] } → { workOrderId, number, status, documents: [{ kind, documentId, filename, contentType, sha256 }] }. Each document must be an uploaded one of that kind attached to the instance ([{ kind, url }] from instances started before uploads is kept as given).',
  },
  'workOrders.close': {
    description: 'Close a work order and mark billing started { workOrderId } → { workOrderId, number, status, closedAt }.',
  },
  'consultants.checkBlacklist': {
    description: 'Whether a live blacklist entry blocks a person, by document or e-mail { country, documentType, documentNumber, email? } → { blacklisted, reasonCode, reasonLabel, reason }. Removed entries block no one.',
  },
  'consultants.lookupSponsor': {
    description: 'Find an active sponsor consultant (not a customer) by email or document { email? | documentNumber? } → { found, sponsorId, name, zone }.',
  },
  'consultants.register': {
    description: "Register a person as a consultant or a customer { person, channel, formType, registerAs?: consultant|customer, sponsorId?, documents? } → { consultantId, kind, status, case, registeredAt }. The person's live record decides the case (domain/consultants): new-consultant (pre-registered), new-customer (active), customer-to-consultant and returning-consultant (pre-registered again), consultant-to-customer (active customer), or already-registered (nothing written). Once per step: a retry returns the first answer.",
  },
  'consultants.acceptAgreements': {
    description: "Record the agreements a person accepted on the registration form { consultantId, agreementIds, acceptedBy } → { accepted: [{ agreementId, code, version }], skipped: [{ agreementId, reason }] }: each once; one no longer in force or not for this person is skipped and stays pending for them.",
  },
  'consultants.activate': {
    description: 'Activate a pre-registered or inactive consultant { consultantId, reason? } → { consultantId, status, changedAt }.',
  },
  'consultants.inactivate': {
    description: 'Inactivate an active consultant { consultantId, reason } → { consultantId, status: inactive, changedAt }, with the reason in their state history. Once per step.',
  },
  'consultants.reject': {
    description: 'Reject a pre-registered consultant { consultantId, reason } → { consultantId, status, changedAt }.',
  },
  'consultants.setCreditLimit': {
    description: 'Record an approved credit limit { consultantId, amount, approvedBy? } → { consultantId, creditLimit }.',
  },
};
