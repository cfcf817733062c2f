import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { TFieldError } from '../../../shared/errors.ts';
import { fileLimit } from '../../../shared/domain/file-limits.ts';
import { AppError, fileRefusal } from '../errors.ts';
import { fieldCodeOf } from '../tabular/tabular.ts';
import { type AcceptedFile, acceptPdfUpload } from './files.ts';

/**
 * Reads a multipart request (one reader for every module's upload forms): text fields, and PDF
 * file parts whose names are in `fileFields`, each checked by `acceptPdfUpload` (≤ `maxBytes` —
 * over it is a 413, never a truncation — `%PDF-`, a safe name; a problem names the part). A file
 * part under any other name, or a second part of the same name, is refused, as are truncated
 * text fields. Nothing is stored here: the caller stores the accepted files after its checks.
 */
export async function readPdfMultipart(
  req: FastifyRequest,
  opts: { fileFields: readonly string[]; maxBytes: number },
): Promise<{ fields: Record<string, string>; files: Record<string, AcceptedFile> }> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type');
  const allowed = new Set(opts.fileFields);
  const fields: Record<string, string> = {};
  const files: Record<string, AcceptedFile> = {};
  const errors: TFieldError[] = [];
  let current = '';
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (!allowed.has(part.fieldname) || files[part.fieldname]) {
          part.file.resume();
          errors.push({ field: part.fieldname, code: 'unknown_field' });
          continue;
        }
        current = part.fieldname;
        try {
          files[part.fieldname] = await acceptPdfUpload(part, opts.maxBytes, part.fieldname);
        } catch (e) {
          part.file.resume();
          throw e;
        }
      } else if (part.valueTruncated || part.fieldnameTruncated) errors.push({ field: part.fieldname, code: 'too_long' });
      else fields[part.fieldname] = String(part.value ?? '');
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw fileRefusal('file_too_large', fileLimit(opts.maxBytes, 'pdf'), current || undefined);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new AppError('payload_too_large');
    throw new AppError('bad_request');
  }
  if (errors.length) throw new AppError('validation_failed', { errors });
  return { fields, files };
}

/** The one required file of a single-file form (a PDF of at most `maxBytes`): 400 file_required naming the part when it is missing. */
export function requiredFile(files: Record<string, AcceptedFile>, field: string, maxBytes: number): AcceptedFile {
  const f = files[field];
  if (!f) throw fileRefusal('file_required', fileLimit(maxBytes, 'pdf'), field);
  return f;
}

/**
 * Validates multipart text fields with a Zod schema, reporting every field's problem the way the
 * JSON routes do. Fields listed in `emptyIsAbsent` that arrive as '' are treated as not sent
 * (an HTML form cannot leave an optional select out).
 */
export function parseMultipartFields<S extends z.ZodTypeAny>(schema: S, fields: Record<string, string>, emptyIsAbsent: readonly string[] = []): z.infer<S> {
  const input: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (!(v === '' && emptyIsAbsent.includes(k))) input[k] = v;
  const res = schema.safeParse(input);
  if (res.success) return res.data;
  const errors: TFieldError[] = [];
  for (const issue of res.error.issues) {
    const keys = (issue as { keys?: string[] }).keys;
    const field = issue.path.map(String).join('.') || (keys ?? []).join(',');
    const fc = fieldCodeOf(issue, input[String(issue.path[0] ?? '')]);
    errors.push({ field, ...(issue.code === 'invalid_format' && (issue as { format?: string }).format === 'date' ? { code: 'date_format' as const } : fc) });
  }
  throw new AppError('validation_failed', { errors });
}

/**
 * An empty body sent as application/json (e.g. a DELETE or an action POST from a generic fetch
 * helper) is no body, not a 400; anything else goes through Fastify's own JSON parser
 * (prototype-poisoning safe). Call inside a route plugin (encapsulated to it).
 */
export function allowEmptyJsonBody(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return json(req, text, done);
  });
}
