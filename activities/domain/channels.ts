/**
 * The channels a digital account can come from (seed 000). The `channels` table (seeded by migration
 * 003, which keeps its own frozen copy) is what foreign keys check; code that validates input first
 * uses this list.
 */
export const SALES_CHANNELS = ['ecommerce', 'landing', 'hubspot', 'assisted', 'partner', 'upgrade'] as const;
export type SalesChannel = (typeof SALES_CHANNELS)[number];
