import { Badge, FileInput, Fieldset, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AGENCY_TYPES, type TAgencyStatus, type TLicenceAlert } from '../../../shared/contracts/agency.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { ApiError } from '../../lib/api.ts';
import { formatInt } from '../../ui/format.ts';
import { PDF_LIMIT, pdfProblem } from '../../lib/pdf.ts';
import { checkParticulars, DOC_FIELDS, EMPTY_PARTICULARS, REQUIRED_DOCS, STATUS_COLOURS, type TParticularsForm, useDistricts } from './api.ts';

/**
 * The state of a ParticularsForm (values, chosen files, translated errors, the message at the top,
 * whether a request is on its way), shared by the sign-up and the department's registration:
 * typing in a field clears its error; `problems()` gives the field codes of the checks made before
 * submit (the server makes them again), `accept(codes)` shows them, `send(request)` shows a refusal.
 */
export function useParticulars() {
  const { t } = useTranslation();
  const [value, setValue] = useState<TParticularsForm>(EMPTY_PARTICULARS);
  const [files, setFiles] = useState<Record<string, File | null>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formProps = {
    value,
    files,
    errors,
    onChange: (k: keyof TParticularsForm, v: string) => {
      setValue((x) => ({ ...x, [k]: v }));
      setErrors((x) => ({ ...x, [k]: '' }));
    },
    onFile: (k: string, f: File | null) => {
      setFiles((x) => ({ ...x, [k]: f }));
      setErrors((x) => ({ ...x, [k]: '' }));
    },
  };
  const problems = async (): Promise<Record<string, string>> => {
    const codes: Record<string, string> = { ...checkParticulars(value) };
    for (const k of DOC_FIELDS) {
      const p = await pdfProblem(files[k], REQUIRED_DOCS.includes(k));
      if (p) codes[k] = p;
    }
    return codes;
  };
  /** Shows the codes of the checks made here as translated field errors; true when there are none. */
  const accept = (codes: Record<string, string>): boolean => {
    const local = Object.fromEntries(Object.entries(codes).map(([k, c]) => [k, t(`validation.${c}`, PDF_LIMIT)]));
    setErrors(local);
    setProblem(Object.keys(local).length ? t('agency.form.fixErrors') : null);
    return Object.keys(local).length === 0;
  };
  /** Runs a request; a refusal lands on its fields and at the top of the form. */
  const send = async (request: () => Promise<void>) => {
    setProblem(null);
    setBusy(true);
    try {
      await request();
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(err.fieldErrors());
        setProblem(err.problem.title);
      }
    } finally {
      setBusy(false);
    }
  };
  return { value, setValue, files, errors, setErrors, formProps, problems, problem, setProblem, busy, accept, send };
}

/**
 * The particulars of an agency and its documents (spec 03), shared by the public sign-up and
 * the department's "Register agency". Errors are strings already translated by the parent.
 */
export function ParticularsForm({
  value,
  onChange,
  files,
  onFile,
  errors,
}: {
  value: TParticularsForm;
  onChange: (k: keyof TParticularsForm, v: string) => void;
  files: Record<string, File | null>;
  onFile: (k: string, f: File | null) => void;
  errors: Record<string, string>;
}) {
  const { t, i18n } = useTranslation();
  const { data: districts } = useDistricts();
  const text = (
    k: keyof TParticularsForm,
    opts: { upper?: boolean; inputMode?: 'numeric' | 'email' | 'tel'; description?: string; type?: string; autoComplete?: string } = {},
  ) => (
    <TextInput
      label={t(`agency.field.${k}`)}
      name={k}
      required
      description={opts.description}
      type={opts.type}
      autoComplete={opts.autoComplete ?? 'off'}
      inputMode={opts.inputMode}
      value={value[k]}
      onChange={(e) => onChange(k, opts.upper ? e.currentTarget.value.toUpperCase() : e.currentTarget.value)}
      error={errors[k]}
      aria-invalid={errors[k] ? true : undefined}
    />
  );
  return (
    <Stack>
      <Fieldset legend={t('agency.form.identity')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {text('legalName', { autoComplete: 'organization' })}
          <Select
            label={t('agency.field.type')}
            name="type"
            required
            data={AGENCY_TYPES.map((x) => ({ value: x, label: t(`agency.type.${x}`) }))}
            value={value.type || null}
            onChange={(v) => onChange('type', v ?? '')}
            error={errors.type}
          />
          {text('pan', { upper: true, description: t('agency.form.panHint') })}
          {text('gstin', { upper: true, description: t('agency.form.gstinHint') })}
          {text('epfoCode', { upper: true })}
          {text('esicCode', { inputMode: 'numeric' })}
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend={t('agency.form.licence')}>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {text('licenceNo')}
          {text('licenceWorkmen', { inputMode: 'numeric' })}
          <DateInput
            label={t('agency.field.licenceValidTo')}
            name="licenceValidTo"
            required
            value={value.licenceValidTo}
            onChange={(v) => onChange('licenceValidTo', v)}
            error={errors.licenceValidTo}
            aria-invalid={errors.licenceValidTo ? true : undefined}
          />
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend={t('agency.form.contact')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Textarea
            label={t('agency.field.address')}
            name="address"
            required
            autosize
            minRows={2}
            value={value.address}
            onChange={(e) => onChange('address', e.currentTarget.value)}
            error={errors.address}
          />
          <Select
            label={t('agency.field.districtId')}
            name="districtId"
            required
            searchable
            data={(districts?.items ?? []).map((d) => ({ value: String(d.id), label: i18n.language === 'hi' ? d.nameHi : d.nameEn }))}
            value={value.districtId || null}
            onChange={(v) => onChange('districtId', v ?? '')}
            error={errors.districtId}
          />
          {text('contactName', { autoComplete: 'name' })}
          {text('mobile', { inputMode: 'tel', autoComplete: 'tel-national' })}
          {text('email', { inputMode: 'email', autoComplete: 'email' })}
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend={t('agency.form.bank')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {text('bankAccount', { inputMode: 'numeric' })}
          {text('ifsc', { upper: true, description: t('agency.form.ifscHint') })}
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend={t('agency.form.documents')}>
        <Text size="sm" mb="xs">
          {t('agency.form.documentsHint')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {DOC_FIELDS.map((k) => (
            <FileInput
              key={k}
              name={k}
              label={t(`agency.doc.${k}`)}
              required={REQUIRED_DOCS.includes(k)}
              accept="application/pdf"
              clearable
              clearButtonProps={{ 'aria-label': t('agency.form.clearFile', { name: t(`agency.doc.${k}`) }) }}
              placeholder={t('agency.form.choosePdf')}
              value={files[k] ?? null}
              onChange={(f) => onFile(k, f)}
              error={errors[k]}
            />
          ))}
        </SimpleGrid>
      </Fieldset>
    </Stack>
  );
}

export function StatusBadge({ status }: { status: TAgencyStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOURS[status]} variant="filled">
      {t(`agency.status.${status}`)}
    </Badge>
  );
}

export function LicenceBadge({ alert }: { alert: TLicenceAlert }) {
  const { t } = useTranslation();
  if (!alert) return null;
  return (
    <Badge color={alert.kind === 'expired' ? STATUS_COLOURS.blacklisted : STATUS_COLOURS.suspended} variant="outline">
      {alert.kind === 'expired' ? t('agency.licence.expired') : t('agency.licence.expiresIn', { days: formatInt(alert.days) })}
    </Badge>
  );
}
