import type { InvoiceDocument } from '../invoice.document.ts';

/**
 * Renders the bilingual invoice PDF. Placeholder on main until the renderer lands (helper wt-pdf
 * replaces this file): it refuses instead of producing a document that is not the real one.
 */
export async function renderInvoicePdf(_doc: InvoiceDocument): Promise<Uint8Array> {
  throw new Error('invoice PDF renderer not built yet');
}
