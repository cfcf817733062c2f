import { fileLimit } from '../../shared/domain/file-limits.ts';

/** The largest PDF any ROAMS form takes (orders, contracts, agency documents); the server checks again. */
export const MAX_PDF_BYTES = 2 * 1024 * 1024;
/** The placeholders of `validation.file_*` for these forms (`{{max}}`, `{{types}}`): pass them whenever a problem is translated. */
export const PDF_LIMIT = fileLimit(MAX_PDF_BYTES, 'pdf');

/** The field codes of the server's refusals (`validation.file_*`); catalogs that word them for one form use the same names. */
export type TPdfProblem = 'file_required' | 'file_empty' | 'file_too_large' | 'file_not_pdf';

/** Early, client-side check of a chosen document: present (when required), not empty, at most 2 MB, `%PDF-` magic bytes. */
export async function pdfProblem(file: File | null | undefined, required = true): Promise<TPdfProblem | null> {
  if (!file) return required ? 'file_required' : null;
  if (file.size === 0) return 'file_empty';
  if (file.size > MAX_PDF_BYTES) return 'file_too_large';
  const head = new Uint8Array(await file.slice(0, 5).arrayBuffer());
  return [0x25, 0x50, 0x44, 0x46, 0x2d].every((b, i) => head[i] === b) ? null : 'file_not_pdf';
}
