import { Select, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ALT_DOC_TYPES } from '../../../shared/contracts/resource.ts';
import { api } from '../../lib/api.ts';
import { PDF_LIMIT, pdfProblem } from '../../lib/pdf.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { PdfFileInput } from '../../ui/PdfFileInput.tsx';
import { BASE, msg, problemOf, type TMsg, type TResource, useMsg } from './api.ts';
import type { TActionResult } from './ActionDialog.tsx';

/** As the contract checks it (`ZAlternativeInput.docNumber`): 4–30 letters, digits, spaces, `/` or `-`. */
const DOC_NUMBER_RE = /^[A-Za-z0-9/ -]{4,30}$/;
const DOC_FIELD = 'document';

type TAltForm = { docType: string | null; docNumber: string; remark: string; file: File | null };
const EMPTY: TAltForm = { docType: null, docNumber: '', remark: '', file: null };

/**
 * The department manager verifies a draft resource's identity against another document when
 * Aadhaar e-KYC is impossible (no linked mobile, declined, Aadhaar cancelled or locked): the
 * document type, its number (the server keeps only the last four characters and shows them
 * masked), the document as a PDF, a remark. One request per confirmation (web/ui ConfirmDialog).
 * The server's field errors are
 * shown on their fields; afterwards the agency can submit the resource.
 */
export function AlternativeVerificationButton({ r, onDone }: { r: TResource } & TActionResult) {
  const { t } = useTranslation();
  const m = useMsg();
  const [form, setForm] = useState<TAltForm>(EMPTY);
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const set = <K extends keyof TAltForm>(k: K, v: TAltForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    // The changed field's error and the summary go: the summary would otherwise outlive what it points at.
    setErrors(({ [k === 'file' ? DOC_FIELD : k]: _, form: __, ...rest }) => rest);
  };
  const verify = useMutation({
    mutationFn: (f: TAltForm & { file: File; docType: string }) => {
      const fd = new FormData();
      fd.set('docType', f.docType);
      fd.set('docNumber', f.docNumber.trim());
      fd.set('remark', f.remark.trim());
      fd.set(DOC_FIELD, f.file, f.file.name);
      return api<TResource>('POST', `${BASE}/${r.id}/kyc/alternative`, fd);
    },
  });
  const confirm = async (close: () => void) => {
    const fe: Record<string, TMsg> = {};
    if (!form.docType) fe.docType = msg('validation.required');
    const number = form.docNumber.trim();
    if (!number) fe.docNumber = msg('validation.required');
    else if (!DOC_NUMBER_RE.test(number)) fe.docNumber = msg('resource.alt.docNumberFormat');
    const fileProblem = await pdfProblem(form.file);
    if (fileProblem) fe[DOC_FIELD] = msg(`validation.${fileProblem}`, PDF_LIMIT);
    if (Object.keys(fe).length || !form.file || !form.docType) return setErrors({ ...fe, form: msg('resource.alt.fixErrors') });
    setErrors({});
    let next: TResource;
    try {
      next = await verify.mutateAsync({ ...form, file: form.file, docType: form.docType });
    } catch (e) {
      const p = problemOf(e);
      return setErrors(Object.keys(p.fields).length ? { ...p.fields, form: msg('resource.alt.fixErrors') } : { form: p.title });
    }
    close();
    setForm(EMPTY);
    await onDone(next, msg('resource.alt.done'));
  };
  return (
    <ConfirmDialog
      label={t('resource.alt.button')}
      title={t('resource.alt.title')}
      confirm={t('resource.alt.confirm')}
      variant="outline"
      testId="resource-verify-alternative"
      busy={verify.isPending}
      intro={<Text size="sm">{t('resource.alt.body')}</Text>}
      error={errors.form && m(errors.form)}
      errorTestId="alt-error"
      onOpen={() => setErrors({})}
      onConfirm={confirm}
    >
      <Select
        label={t('resource.alt.docType')}
        required
        value={form.docType}
        onChange={(x) => set('docType', x)}
        data={ALT_DOC_TYPES.map((x) => ({ value: x, label: t(`resource.altDoc.${x}`) }))}
        error={m(errors.docType)}
        comboboxProps={{ withinPortal: true }}
      />
      <TextInput
        label={t('resource.alt.docNumber')}
        description={t('resource.alt.docNumberHint')}
        required
        autoComplete="off"
        maxLength={30}
        value={form.docNumber}
        onChange={(e) => set('docNumber', e.currentTarget.value)}
        error={m(errors.docNumber)}
      />
      <PdfFileInput
        label={t('resource.alt.document')}
        description={t('resource.alt.documentHint')}
        required
        value={form.file}
        onChange={(f) => set('file', f)}
        error={m(errors[DOC_FIELD])}
      />
      <Textarea
        label={t('resource.alt.remark')}
        maxLength={500}
        value={form.remark}
        onChange={(e) => set('remark', e.currentTarget.value)}
        error={m(errors.remark)}
      />
    </ConfirmDialog>
  );
}
