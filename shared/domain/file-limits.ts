/**
 * What an upload form takes — its largest size and its kinds of file — as the placeholders of the
 * `file_too_large` / `file_required` messages (`{{max}}`, and `{{types}}` naming one of
 * `common.fileTypes.*`). Every refusal of a file carries them (server: `fileRefusal`), so no
 * message names a limit other than the one of the upload the user made.
 */
export const FILE_TYPES = ['pdf', 'pdfImage', 'image', 'xlsx', 'table', 'text'] as const;
export type TFileTypes = (typeof FILE_TYPES)[number];
export type TFileLimit = { max: string; types: TFileTypes };

const sizeFormat = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 2 });

/** A size limit as people write it: 2 MiB is "2 MB", 200 KiB is "200 KB" (binary units, as every limit here is set). */
export function formatFileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${sizeFormat.format(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${sizeFormat.format(bytes / 1024)} KB`;
  return `${sizeFormat.format(bytes)} B`;
}

/** The placeholders of an upload's file messages: e.g. `fileLimit(5 MiB, 'pdfImage')` → { max: '5 MB', types: 'pdfImage' }. */
export function fileLimit(maxBytes: number, types: TFileTypes): TFileLimit {
  return { max: formatFileSize(maxBytes), types };
}
