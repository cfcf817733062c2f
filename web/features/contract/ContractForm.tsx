import { Alert, Button, Checkbox, Group, MultiSelect, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { PdfFileInput } from '../../ui/PdfFileInput.tsx';
import { LimitedTextInput, LimitedTextarea } from '../../ui/LimitedTextInput.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { TContractCreate, TVersionCreate } from '../../../shared/contracts/contract.ts';
import { api } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { formatInt } from '../../ui/format.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import {
  BASE,
  contractFlash,
  contractKeys,
  money,
  msg,
  problemOf,
  type TContract,
  type TContractOptions,
  useAllMinimumWages,
  useContractOptions,
  useMsg,
} from './api.ts';
import { PostRowFields } from './PostRows.tsx';
import { type TContractFormState, type TContractValues, type TMode, useContractForm } from './useContractForm.ts';

type TPart = { form: TContractFormState; options: TContractOptions | undefined };

/**
 * "Register contract" (mode create) and "New extension / amendment" (mode version, pre-filled
 * with the terms in force). Saves a draft, uploads its PDF, then opens the contract to activate it.
 */
export function ContractForm({ mode, contract }: { mode: TMode; contract?: TContract }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const form = useContractForm(mode, contract);
  const { officeId } = form.value;
  const { data: options, error: optionsError } = useContractOptions(officeId ? Number(officeId) : null);
  const m = useMsg();
  const busy = useRef(false);
  const errorRef = useRef<HTMLDivElement>(null);
  const focusError = () => requestAnimationFrame(() => errorRef.current?.focus());

  // A department manager acts for one office: take it as the contracting office and the rows' default.
  const firstOffice = options?.offices[0]?.id;
  const { takeOffice } = form;
  useEffect(() => {
    if (!officeId && firstOffice !== undefined) takeOffice(String(firstOffice));
  }, [officeId, firstOffice, takeOffice]);

  const save = useMutation({
    mutationFn: async ({ body, pdf }: { body: TContractCreate | TVersionCreate; pdf: File }) => {
      const saved = mode === 'create' ? await api<TContract>('POST', BASE, body) : await api<TContract>('POST', `${BASE}/${contract!.id}/versions`, body);
      const draft = saved.versions.find((v) => v.state === 'draft') ?? saved.versions[0]!;
      const fd = new FormData();
      fd.set('document', pdf, pdf.name);
      try {
        return {
          contract: await api<TContract>('PUT', `${BASE}/${saved.id}/versions/${draft.versionNo}/document`, fd),
          versionNo: draft.versionNo,
          uploadError: null,
        };
      } catch (e) {
        return { contract: saved, versionNo: draft.versionNo, uploadError: problemOf(e).title };
      }
    },
    onSuccess: async ({ contract: saved, versionNo, uploadError }) => {
      await qc.invalidateQueries({ queryKey: contractKeys.all });
      const done =
        mode === 'create' ? msg('contract.create.created', { contractNo: saved.contractNo }) : msg('contract.detail.versionSaved', { version: versionNo });
      // Saved, but the PDF was refused: say both; the contract page offers the upload again.
      contractFlash.set(uploadError ? { msgs: [done, uploadError], warn: true } : { msgs: [done], warn: false });
      await navigate({ to: `/contracts/${saved.id}` });
    },
    onError: (e) => {
      const p = problemOf(e);
      form.showRefusal(p.fields, p.title);
      focusError();
    },
    onSettled: () => {
      busy.current = false;
    },
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy.current || save.isPending) return;
    busy.current = true;
    const body = await form.check();
    if (!body || !form.file) {
      busy.current = false;
      focusError();
      return;
    }
    save.mutate({ body, pdf: form.file });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={1100}>
        {form.formError && (
          <Alert color="red" role="alert" ref={errorRef} tabIndex={-1} data-testid="contract-form-error">
            {form.formError.map((x) => m(x)).join(' ')}
          </Alert>
        )}
        {optionsError && (
          <Alert color="red" role="alert">
            {optionsError.message}
          </Alert>
        )}
        {mode === 'create' && options && !options.agencies.some((a) => a.contractable) && <Alert color="yellow">{t('contract.create.noAgencies')}</Alert>}
        {mode === 'create' ? <IdentityFields form={form} options={options} /> : <VersionKindField form={form} />}
        <TermsFields form={form} options={options} />
        <StatutoryFields form={form} />
        <PostsEditor form={form} options={options} />
        <DocumentField form={form} />
        <LimitedTextarea
          label={t('contract.field.remark')}
          maxLength={500}
          autosize
          minRows={2}
          value={form.value.remark}
          onChange={(v) => form.set('remark', v)}
          error={m(form.errors.remark)}
        />
        <Group justify="flex-end">
          <Button variant="default" component={Link} to={contract ? `/contracts/${contract.id}` : '/contracts'}>
            {t('common.back')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={save.isPending}>
            {t('contract.create.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A required choice among fixed values, each labelled from the catalog under `prefix`. */
function ChoiceField<K extends keyof TContractValues>({
  form,
  field,
  label,
  choices,
  prefix,
}: {
  form: TContractFormState;
  field: K;
  label: string;
  choices: readonly string[];
  prefix: string;
}) {
  const { t } = useTranslation();
  const m = useMsg();
  return (
    <Select
      label={label}
      required
      value={form.value[field] as string}
      allowDeselect={false}
      onChange={(v) => form.set(field, (v ?? choices[0]) as TContractValues[K])}
      data={choices.map((c) => ({ value: c, label: t(`${prefix}.${c}`) }))}
      error={m(form.errors[field])}
    />
  );
}

/** A new contract's identity: number, date, agency, office, how it was procured. */
function IdentityFields({ form, options }: TPart) {
  const { t } = useTranslation();
  const name = useBilingual();
  const m = useMsg();
  const { value: v, set, errors } = form;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <LimitedTextInput
        label={t('contract.field.contractNo')}
        required
        maxLength={60}
        value={v.contractNo}
        onChange={(v) => set('contractNo', v)}
        error={m(errors.contractNo)}
      />
      <DateInput
        label={t('contract.field.contractDate')}
        required
        value={v.contractDate}
        onChange={(x) => set('contractDate', x)}
        error={m(errors.contractDate)}
      />
      <Select
        label={t('contract.field.agency')}
        description={t('contract.field.agencyHint')}
        required
        searchable
        value={v.agencyId}
        onChange={(x) => set('agencyId', x)}
        data={(options?.agencies ?? []).map((a) => ({
          value: String(a.id),
          label: a.contractable ? a.legalName : `${a.legalName} — ${t(`contract.agencyStatus.${a.status}`, { defaultValue: a.reason ?? a.status })}`,
          disabled: !a.contractable,
        }))}
        error={m(errors.agencyId)}
      />
      <Select
        label={t('contract.field.office')}
        required
        value={v.officeId}
        allowDeselect={false}
        onChange={(x) => set('officeId', x)}
        data={(options?.offices ?? []).map((o) => ({ value: String(o.id), label: `${name(o.nameEn, o.nameHi)} (${o.id})` }))}
        error={m(errors.officeId)}
      />
      <ChoiceField
        form={form}
        field="procurementMode"
        label={t('contract.field.procurementMode')}
        choices={['gem', 'open_tender', 'other']}
        prefix="contract.procurement"
      />
      <div />
      {v.procurementMode === 'gem' && (
        <>
          <LimitedTextInput
            label={t('contract.field.gemContractNo')}
            description={t('contract.field.gemContractNoHint')}
            required
            maxLength={60}
            value={v.gemContractNo}
            onChange={(v) => set('gemContractNo', v)}
            error={m(errors.gemContractNo)}
          />
          <LimitedTextInput
            label={t('contract.field.gemBidNo')}
            description={t('contract.field.gemBidNoHint')}
            required
            maxLength={60}
            value={v.gemBidNo}
            onChange={(v) => set('gemBidNo', v)}
            error={m(errors.gemBidNo)}
          />
        </>
      )}
    </SimpleGrid>
  );
}

/** A new version is an extension or an amendment. */
function VersionKindField({ form }: { form: TContractFormState }) {
  const { t } = useTranslation();
  const m = useMsg();
  return (
    <Select
      label={t('contract.detail.versionKind')}
      required
      w={320}
      value={form.value.kind}
      allowDeselect={false}
      onChange={(v) => form.set('kind', (v as TContractValues['kind']) ?? 'extension')}
      data={(['extension', 'amendment'] as const).map((k) => ({ value: k, label: t(`contract.versionKind.${k}`) }))}
      error={m(form.errors.kind)}
    />
  );
}

/** Period, drawing officer, budget heads, how and on what basis wages are paid. */
function TermsFields({ form, options }: TPart) {
  const { t } = useTranslation();
  const name = useBilingual();
  const m = useMsg();
  const { value: v, set, errors } = form;
  return (
    <>
      <Title order={3} mt="sm">
        {t('contract.create.termsTitle')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <DateInput label={t('contract.field.startDate')} required value={v.startDate} onChange={(x) => set('startDate', x)} error={m(errors.startDate)} />
        <DateInput label={t('contract.field.endDate')} required value={v.endDate} onChange={(x) => set('endDate', x)} error={m(errors.endDate)} />
        <Select
          label={t('contract.field.ddoCode')}
          required
          searchable
          value={v.ddoCodeId}
          onChange={(x) => set('ddoCodeId', x)}
          data={(options?.ddoCodes ?? []).map((d) => ({ value: String(d.id), label: `${d.code} — ${name(d.designationEn, d.designationHi)}` }))}
          error={m(errors.ddoCodeId)}
        />
        <MultiSelect
          label={t('contract.field.budgetLines')}
          required
          searchable
          value={v.budgetLineIds}
          onChange={(x) => set('budgetLineIds', x)}
          data={(options?.budgetLines ?? []).map((b) => ({ value: String(b.id), label: `${b.head} — ${name(b.schemeNameEn, b.schemeNameHi)}` }))}
          error={m(errors.budgetLineIds)}
        />
        <ChoiceField
          form={form}
          field="paymentMode"
          label={t('contract.field.paymentMode')}
          choices={['through_agency', 'direct']}
          prefix="contract.paymentMode"
        />
        <ChoiceField form={form} field="wageBasis" label={t('contract.field.wageBasis')} choices={['monthly', 'daily']} prefix="contract.wageBasis" />
      </SimpleGrid>
    </>
  );
}

/** Service charge, bonus, EPF and ESIC. */
function StatutoryFields({ form }: { form: TContractFormState }) {
  const { t } = useTranslation();
  const m = useMsg();
  const { value: v, set, errors } = form;
  return (
    <>
      <Title order={3} mt="sm">
        {t('contract.create.statutoryTitle')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('contract.field.serviceCharge')}
          description={t('contract.field.serviceChargeHint')}
          required
          inputMode="decimal"
          autoComplete="off"
          value={v.serviceCharge}
          onChange={(e) => set('serviceCharge', e.currentTarget.value)}
          error={m(errors.serviceChargeBp)}
        />
        <TextInput
          label={t('contract.field.bonus')}
          description={t('contract.field.bonusHint')}
          inputMode="decimal"
          autoComplete="off"
          value={v.bonus}
          onChange={(e) => set('bonus', e.currentTarget.value)}
          error={m(errors.bonusBp)}
        />
        <ChoiceField form={form} field="epfMode" label={t('contract.field.epfMode')} choices={['none', 'capped', 'uncapped']} prefix="contract.epf" />
        <Checkbox
          mt={{ base: 0, sm: 'xl' }}
          label={t('contract.field.esic')}
          checked={v.esicApplies}
          onChange={(e) => set('esicApplies', e.currentTarget.checked)}
          error={m(errors.esicApplies)}
        />
      </SimpleGrid>
    </>
  );
}

/** The post rows, one more added at a time, with the positions and monthly bill they add up to. */
function PostsEditor({ form, options }: TPart) {
  const { t } = useTranslation();
  const m = useMsg();
  const { data: wageRows } = useAllMinimumWages();
  return (
    <>
      <Title order={3} mt="sm">
        {t('contract.post.title')}
      </Title>
      {form.errors.posts && <Alert color="red">{m(form.errors.posts)}</Alert>}
      <Stack gap="sm">
        {form.rows.map((r, i) => (
          <PostRowFields
            key={r.key}
            row={r}
            index={i}
            offices={options?.offices ?? []}
            skillLevels={options?.skillLevels ?? []}
            postNames={options?.postNames ?? []}
            wages={wageRows?.items ?? []}
            period={form.period}
            errors={form.rowErrors[i] ?? {}}
            own={form.own}
            onChange={(next) => form.setRow(i, next)}
            onRemove={form.rows.length > 1 ? () => form.removeRow(r.key) : undefined}
          />
        ))}
      </Stack>
      <Group justify="space-between">
        <Button variant="outline" onClick={form.addRow} leftSection={<span aria-hidden="true">+</span>}>
          {t('contract.post.addRow')}
        </Button>
        <Text size="sm" fw={600} aria-live="polite">
          {t('contract.post.total', { replace: { count: formatInt(form.totals.positions) } })} ·{' '}
          {t('contract.post.monthlyTotal', { amount: money(form.totals.bill) })}
        </Text>
      </Group>
    </>
  );
}

/** The signed contract / work order as a PDF: a chooser in the page's language (the button is named by the label). */
function DocumentField({ form }: { form: TContractFormState }) {
  const { t } = useTranslation();
  const m = useMsg();
  const error = form.errors.document;
  return (
    <PdfFileInput
      label={t('contract.field.document')}
      required
      description={t('contract.field.documentHint')}
      error={m(error)}
      name="document"
      value={form.file}
      onChange={(f) => form.setFile(f)}
    />
  );
}

/** Page: "Register Contract / Work Order" for a department manager. */
export function RegisterContractPage() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('contract.create.title')} crumbs={[{ label: t('contract.title'), to: '/contracts' }]} />
      <ContractForm mode="create" />
    </Paper>
  );
}
