/**
 * Seed 001's lead process (definitions/lead-to-customer.yaml): its name, read by the web-to-lead form,
 * and the business key a lead from the web is known by.
 */
export const LEAD_TO_CUSTOMER = 'lead-to-customer';

/** A follow-up a salesperson sets on a lead: a task of its own process (definitions/lead-follow-up.yaml). */
export const LEAD_FOLLOW_UP = 'lead-follow-up';

/**
 * A web lead's business key: its e-mail as people mean it (case and surrounding spaces aside), so the
 * same person sending the form again reaches their lead instead of opening a second one.
 */
export const webLeadKey = (email: string): string => email.trim().toLowerCase();
