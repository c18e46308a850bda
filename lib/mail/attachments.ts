/**
 * What an e-mail may carry besides its text: today an invoice's PDF (`{ invoicePdf: <invoice id> }`).
 * `notifications.send` checks the references and queues them on the outbox row; the SMTP transport
 * renders them when it sends, so the outbox holds references, not files.
 */
import type { Knex } from 'knex';
import { isUuid } from '../../domain/fields';
import { createInvoiceDocumentStore } from '../invoice-documents';
import { renderInvoicePdf } from '../invoice-pdf';

export interface AttachmentRef {
  invoicePdf: string;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export type AttachmentResolver = (refs: AttachmentRef[]) => Promise<MailAttachment[]>;

/** The references in `value`, or why they are not (naming the item). */
export function parseAttachments(value: unknown): { refs: AttachmentRef[] } | { problem: string } {
  if (value === undefined || value === null) return { refs: [] };
  if (!Array.isArray(value) || value.length > 10) return { problem: 'must be a list of at most 10 { invoicePdf: <invoice id> }' };
  const refs: AttachmentRef[] = [];
  for (const [i, item] of value.entries()) {
    const id = (item as { invoicePdf?: unknown } | null)?.invoicePdf;
    if (typeof id !== 'string' || !isUuid(id) || Object.keys(item as object).length !== 1) return { problem: `[${i}] must be { invoicePdf: <invoice id> } (got ${JSON.stringify(item)})` };
    refs.push({ invoicePdf: id.toLowerCase() });
  }
  return { refs };
}

export function createAttachmentResolver(db: Knex): AttachmentResolver {
  const invoices = createInvoiceDocumentStore(db);
  return async (refs) =>
    Promise.all(
      refs.map(async ({ invoicePdf }) => {
        const invoice = await invoices.document(invoicePdf);
        // Thrown, the outbox row stays pending with this error and is retried.
        if (!invoice) throw new Error(`attachment: invoice ${invoicePdf} does not exist`);
        return { filename: `factura-${invoice.number}.pdf`, contentType: 'application/pdf', content: Buffer.from(await renderInvoicePdf(invoice)) };
      }),
    );
}
