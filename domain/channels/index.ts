/**
 * The channels of the business (seed 000): where a sale comes from, where it is invoiced, and how a
 * notification reaches someone.
 */

/**
 * Where a lead or a digital account comes from. The `channels` table (seeded by migration 003, which
 * keeps its own frozen copy) is what foreign keys check; code that validates input first uses this list.
 */
export const SALES_CHANNELS = ['ecommerce', 'landing', 'hubspot', 'assisted', 'partner', 'upgrade'] as const;
export type SalesChannel = (typeof SALES_CHANNELS)[number];

export function isSalesChannel(value: unknown): value is SalesChannel {
  return typeof value === 'string' && (SALES_CHANNELS as readonly string[]).includes(value);
}

/** The billing channel of every digital sale (seed 000): what its invoices say. */
export const DIGITAL_CHANNEL = 'Canal Digital';

/** How `notifications.send` may reach someone; `email` is the default. */
export const NOTIFICATION_CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
