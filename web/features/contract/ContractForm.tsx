import { Alert, Button, Checkbox, Group, Input, MultiSelect, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GEM_CONTRACT_PREFIX, type TContractCreate, type TVersionCreate, type TVersionTerms } from '../../../shared/contracts/contract.ts';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { paiseToInput, parseRupees } from '../../../shared/domain/wages.ts';
import { api } from '../../lib/api.ts';
import { formatInt } from '../../ui/format.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { pdfProblem } from '../../lib/pdf.ts';
import { BASE, contractKeys, money, parsePercentBp, problemOf, contractFlash, type TContract, type TMsg, msg, useMsg, type TContractVersion, useAllMinimumWages, useContractOptions } from './api.ts';
import { capacityOf, emptyRow, PostRowFields, rowKey, type TPostRow, type TRowErrors } from './PostRows.tsx';
import { useBilingual } from '../../lib/bilingual.ts';
import { parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';

const IDENTITY_FIELDS = ['contractNo', 'contractDate', 'agencyId', 'officeId', 'procurementMode', 'gemContractNo', 'gemBidNo'];
const TERM_FIELDS = ['startDate', 'endDate', 'ddoCodeId', 'budgetLineIds', 'paymentMode', 'wageBasis', 'serviceChargeBp', 'epfMode', 'esicApplies', 'bonusBp', 'remark', 'document', 'kind', 'posts'];
const ROW_FIELDS = ['officeId', 'skillLevelId', 'postNameId', 'positions', 'basicPaise', 'vdaPaise'];

function bpToInput(bp: number): string {
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

/**
 * "Register contract" (mode create) and "New extension / amendment" (mode version, pre-filled
 * with the terms in force). Saves a draft, uploads its PDF, then opens the contract to activate it.
 */
export function ContractForm({ mode, contract }: { mode: 'create' | 'version'; contract?: TContract }) {
  const { t } = useTranslation();
  const name = useBilingual();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const base: TContractVersion | undefined = contract?.versions.find((v) => v.state === 'in_force') ?? contract?.versions[0];
  const [officeId, setOfficeId] = useState<string | null>(contract ? String(contract.officeId) : null);
  const { data: options, error: optionsError } = useContractOptions(officeId ? Number(officeId) : null);
  const { data: wageRows } = useAllMinimumWages();

  const [contractNo, setContractNo] = useState('');
  const [contractDate, setContractDate] = useState('');
  const [agencyId, setAgencyId] = useState<string | null>(null);
  const [procurementMode, setProcurementMode] = useState<string>('gem');
  const [gemContractNo, setGemContractNo] = useState('');
  const [gemBidNo, setGemBidNo] = useState('');
  const [kind, setKind] = useState<'extension' | 'amendment'>('extension');
  const [startDate, setStartDate] = useState(base ? formatDate(base.startDate) : '');
  const [endDate, setEndDate] = useState(base ? formatDate(base.endDate) : '');
  const [ddoCodeId, setDdoCodeId] = useState<string | null>(base ? String(base.ddoCodeId) : null);
  const [budgetLineIds, setBudgetLineIds] = useState<string[]>(base ? base.budgetLines.map((b) => String(b.id)) : []);
  const [paymentMode, setPaymentMode] = useState<string>(base?.paymentMode ?? 'through_agency');
  const [wageBasis, setWageBasis] = useState<string>(base?.wageBasis ?? 'monthly');
  const [serviceCharge, setServiceCharge] = useState(base ? bpToInput(base.serviceChargeBp) : '');
  const [epfMode, setEpfMode] = useState<string>(base?.epfMode ?? 'capped');
  const [esicApplies, setEsicApplies] = useState(base?.esicApplies ?? true);
  const [bonus, setBonus] = useState(base ? bpToInput(base.bonusBp) : '8.33');
  const [remark, setRemark] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const nextKey = useRef(1);
  const [rows, setRows] = useState<TPostRow[]>(() =>
    base
      ? base.posts.map((p) => ({ key: nextKey.current++, officeId: String(p.officeId), skillLevelId: String(p.skillLevelId), postNameId: String(p.postNameId), positions: String(p.positions), basic: paiseToInput(p.basicPaise), vda: paiseToInput(p.vdaPaise) }))
      : [emptyRow(0, null)],
  );
  // Positions the version in force covers itself: a new version replaces them.
  const own: Record<string, number> = {};
  if (contract?.status === 'active') for (const p of contract.versions.find((v) => v.state === 'in_force')?.posts ?? []) own[rowKey(p.officeId, p.skillLevelId, p.postNameId)] = p.positions;
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [rowErrors, setRowErrors] = useState<TRowErrors[]>([]);
  const [formError, setFormError] = useState<TMsg[] | null>(null);
  const m = useMsg();
  const busy = useRef(false);
  const errorRef = useRef<HTMLDivElement>(null);

  // A department manager acts for one office: take it as the contracting office and the rows' default.
  useEffect(() => {
    if (!officeId && options?.offices[0]) {
      const first = String(options.offices[0].id);
      setOfficeId(first);
      setRows((rs) => rs.map((r) => (r.officeId ? r : { ...r, officeId: first })));
    }
  }, [officeId, options]);

  const startIso = parseIndianDate(startDate);
  const endIso = parseIndianDate(endDate);
  const period = { start: startIso ?? todayIst(), end: endIso ?? startIso ?? todayIst() };

  const showErrors = (fields: Record<string, TMsg>, title: TMsg) => {
    const fe: Record<string, TMsg> = {};
    const re: TRowErrors[] = [];
    const other: TMsg[] = [];
    for (const [k, v] of Object.entries(fields)) {
      const m = /^posts\.(\d+)\.(\w+)$/.exec(k);
      if (m && ROW_FIELDS.includes(m[2]!)) {
        const i = Number(m[1]);
        re[i] = { ...re[i], [m[2]!]: v };
        continue;
      }
      const key = k.replace(/\.\d+$/, '');
      if (IDENTITY_FIELDS.includes(key) || TERM_FIELDS.includes(key)) fe[key] = v;
      else other.push(v);
    }
    setErrors(fe);
    setRowErrors(re);
    setFormError([title, ...other]);
    requestAnimationFrame(() => errorRef.current?.focus());
  };

  const save = useMutation({
    mutationFn: async ({ body, pdf }: { body: TContractCreate | TVersionCreate; pdf: File }) => {
      const saved = mode === 'create' ? await api<TContract>('POST', BASE, body) : await api<TContract>('POST', `${BASE}/${contract!.id}/versions`, body);
      const draft = saved.versions.find((v) => v.state === 'draft') ?? saved.versions[0]!;
      const fd = new FormData();
      fd.set('document', pdf, pdf.name);
      try {
        return { contract: await api<TContract>('PUT', `${BASE}/${saved.id}/versions/${draft.versionNo}/document`, fd), versionNo: draft.versionNo, uploadError: null };
      } catch (e) {
        return { contract: saved, versionNo: draft.versionNo, uploadError: problemOf(e).title };
      }
    },
    onSuccess: async ({ contract: saved, versionNo, uploadError }) => {
      await qc.invalidateQueries({ queryKey: contractKeys.all });
      const done = mode === 'create' ? msg('contract.create.created', { contractNo: saved.contractNo }) : msg('contract.detail.versionSaved', { version: versionNo });
      // Saved, but the PDF was refused: say both; the contract page offers the upload again.
      contractFlash.set(uploadError ? { msgs: [done, uploadError], warn: true } : { msgs: [done], warn: false });
      await navigate({ to: `/contracts/${saved.id}` });
    },
    onError: (e) => {
      const p = problemOf(e);
      showErrors(p.fields, p.title);
    },
    onSettled: () => {
      busy.current = false;
    },
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy.current || save.isPending) return;
    busy.current = true;
    const fe: Record<string, TMsg> = {};
    const re: TRowErrors[] = rows.map(() => ({}));
    const required = msg('contract.create.required');
    const dateIso = parseIndianDate(contractDate);
    if (mode === 'create') {
      if (!contractNo.trim()) fe.contractNo = required;
      if (!contractDate.trim()) fe.contractDate = required;
      else if (!dateIso) fe.contractDate = msg('contract.create.dateInvalid');
      if (!agencyId) fe.agencyId = required;
      if (!officeId) fe.officeId = required;
      if (procurementMode === 'gem') {
        if (!gemContractNo.trim()) fe.gemContractNo = required;
        else if (!gemContractNo.trim().toUpperCase().startsWith(GEM_CONTRACT_PREFIX)) fe.gemContractNo = msg('contract.create.gemContractFormat');
        if (!gemBidNo.trim()) fe.gemBidNo = required;
      }
    }
    if (!startDate.trim()) fe.startDate = required;
    else if (!startIso) fe.startDate = msg('contract.create.dateInvalid');
    if (!endDate.trim()) fe.endDate = required;
    else if (!endIso) fe.endDate = msg('contract.create.dateInvalid');
    else if (startIso && endIso < startIso) fe.endDate = msg('contract.create.endBeforeStart');
    if (!ddoCodeId) fe.ddoCodeId = required;
    if (budgetLineIds.length === 0) fe.budgetLineIds = required;
    const scBp = parsePercentBp(serviceCharge);
    if (!serviceCharge.trim()) fe.serviceChargeBp = required;
    else if (scBp === null) fe.serviceChargeBp = msg('contract.create.percentInvalid');
    else if (scBp > 10_000) fe.serviceChargeBp = msg('contract.create.serviceChargeRange');
    const bonusBp = parsePercentBp(bonus || '0');
    if (bonusBp === null) fe.bonusBp = msg('contract.create.percentInvalid');
    else if (bonusBp !== 0 && (bonusBp < 833 || bonusBp > 2000)) fe.bonusBp = msg('contract.create.bonusRange');
    const pdf = await pdfProblem(file);
    if (pdf) fe.document = msg(`contract.create.${pdf}`);
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      const ri = re[i]!;
      if (!r.officeId) ri.officeId = required;
      if (!r.skillLevelId) ri.skillLevelId = required;
      if (!r.postNameId) ri.postNameId = required;
      const k = `${r.officeId}-${r.skillLevelId}-${r.postNameId}`;
      if (r.officeId && r.skillLevelId && r.postNameId) {
        if (seen.has(k)) ri.postNameId = msg('contract.post.duplicate');
        seen.add(k);
      }
      const n = /^\d+$/.test(r.positions.trim()) ? Number(r.positions) : null;
      if (!r.positions.trim()) ri.positions = required;
      else if (n === null || n < 1) ri.positions = msg('contract.create.wholeNumber');
      else {
        // Capacity is known here (sanctioned by locked orders minus other active contracts): refuse early.
        const cached = qc.getQueryData<typeof options>(contractKeys.options(r.officeId ? Number(r.officeId) : null));
        const cap = capacityOf(cached, r, own);
        if (cap && n > cap.available) ri.positions = cap.sanctioned === 0 ? msg('contract.post.noCapacity') : msg('contract.post.overCapacity', { available: formatInt(cap.available) });
      }
      const b = parseRupees(r.basic);
      if (!r.basic.trim()) ri.basicPaise = required;
      else if (b === null || b === 0) ri.basicPaise = msg('contract.create.amountInvalid');
      if (!r.vda.trim()) ri.vdaPaise = required;
      else if (parseRupees(r.vda) === null) ri.vdaPaise = msg('contract.create.amountInvalid');
    });
    const rowsBad = re.some((r) => Object.keys(r).length > 0);
    setErrors(fe);
    setRowErrors(re);
    if (Object.keys(fe).length > 0 || rowsBad) {
      setFormError([msg('contract.create.fixErrors')]);
      busy.current = false;
      requestAnimationFrame(() => errorRef.current?.focus());
      return;
    }
    setFormError(null);
    const terms: TVersionTerms = {
      startDate: startIso!,
      endDate: endIso!,
      ddoCodeId: Number(ddoCodeId),
      budgetLineIds: budgetLineIds.map(Number),
      paymentMode: paymentMode as TVersionTerms['paymentMode'],
      wageBasis: wageBasis as TVersionTerms['wageBasis'],
      serviceChargeBp: scBp!,
      epfMode: epfMode as TVersionTerms['epfMode'],
      esicApplies,
      bonusBp: bonusBp!,
      remark: remark.trim(),
      posts: rows.map((r) => ({ officeId: Number(r.officeId), skillLevelId: Number(r.skillLevelId), postNameId: Number(r.postNameId), positions: Number(r.positions), basicPaise: parseRupees(r.basic)!, vdaPaise: parseRupees(r.vda)! })),
    };
    const body: TContractCreate | TVersionCreate =
      mode === 'create'
        ? {
            contractNo: contractNo.trim(),
            contractDate: dateIso!,
            agencyId: Number(agencyId),
            procurementMode: procurementMode as TContractCreate['procurementMode'],
            gemContractNo: procurementMode === 'gem' ? gemContractNo.trim() : '',
            gemBidNo: procurementMode === 'gem' ? gemBidNo.trim() : '',
            officeId: Number(officeId),
            ...terms,
          }
        : { kind, ...terms };
    save.mutate({ body, pdf: file! });
  };

  const agencies = options?.agencies ?? [];
  const totalPositions = rows.reduce((s, r) => s + (/^\d+$/.test(r.positions.trim()) ? Number(r.positions) : 0), 0);
  const bill = rows.reduce((s, r) => s + (/^\d+$/.test(r.positions.trim()) ? Number(r.positions) : 0) * ((parseRupees(r.basic) ?? 0) + (parseRupees(r.vda) ?? 0)), 0);
  const dateField = (label: string, value: string, set: (v: string) => void, field: string) => (
    <DateInput label={label} required value={value} onChange={set} error={m(errors[field])} />
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={1100}>
        {formError && (
          <Alert color="red" role="alert" ref={errorRef} tabIndex={-1} data-testid="contract-form-error">
            {formError.map((x) => m(x)).join(' ')}
          </Alert>
        )}
        {optionsError && <Alert color="red" role="alert">{optionsError.message}</Alert>}
        {mode === 'create' && options && !agencies.some((a) => a.contractable) && <Alert color="yellow">{t('contract.create.noAgencies')}</Alert>}
        {mode === 'create' && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('contract.field.contractNo')} required maxLength={60} value={contractNo} onChange={(e) => setContractNo(e.currentTarget.value)} error={m(errors.contractNo)} />
            {dateField(t('contract.field.contractDate'), contractDate, setContractDate, 'contractDate')}
            <Select
              label={t('contract.field.agency')}
              description={t('contract.field.agencyHint')}
              required
              searchable
              value={agencyId}
              onChange={setAgencyId}
              data={agencies.map((a) => ({ value: String(a.id), label: a.contractable ? a.legalName : `${a.legalName} — ${t(`contract.agencyStatus.${a.status}`, { defaultValue: a.reason ?? a.status })}`, disabled: !a.contractable }))}
              error={m(errors.agencyId)}
            />
            <Select
              label={t('contract.field.office')}
              required
              value={officeId}
              allowDeselect={false}
              onChange={setOfficeId}
              data={(options?.offices ?? []).map((o) => ({ value: String(o.id), label: `${name(o.nameEn, o.nameHi)} (${o.id})` }))}
              error={m(errors.officeId)}
            />
            <Select
              label={t('contract.field.procurementMode')}
              required
              value={procurementMode}
              allowDeselect={false}
              onChange={(v) => setProcurementMode(v ?? 'gem')}
              data={(['gem', 'open_tender', 'other'] as const).map((m) => ({ value: m, label: t(`contract.procurement.${m}`) }))}
              error={m(errors.procurementMode)}
            />
            <div />
            {procurementMode === 'gem' && (
              <>
                <TextInput label={t('contract.field.gemContractNo')} description={t('contract.field.gemContractNoHint')} required maxLength={60} value={gemContractNo} onChange={(e) => setGemContractNo(e.currentTarget.value)} error={m(errors.gemContractNo)} />
                <TextInput label={t('contract.field.gemBidNo')} description={t('contract.field.gemBidNoHint')} required maxLength={60} value={gemBidNo} onChange={(e) => setGemBidNo(e.currentTarget.value)} error={m(errors.gemBidNo)} />
              </>
            )}
          </SimpleGrid>
        )}
        {mode === 'version' && (
          <Select
            label={t('contract.detail.versionKind')}
            required
            w={320}
            value={kind}
            allowDeselect={false}
            onChange={(v) => setKind((v as 'extension' | 'amendment') ?? 'extension')}
            data={(['extension', 'amendment'] as const).map((k) => ({ value: k, label: t(`contract.versionKind.${k}`) }))}
            error={m(errors.kind)}
          />
        )}

        <Title order={3} mt="sm">{t('contract.create.termsTitle')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {dateField(t('contract.field.startDate'), startDate, setStartDate, 'startDate')}
          {dateField(t('contract.field.endDate'), endDate, setEndDate, 'endDate')}
          <Select
            label={t('contract.field.ddoCode')}
            required
            searchable
            value={ddoCodeId}
            onChange={setDdoCodeId}
            data={(options?.ddoCodes ?? []).map((d) => ({ value: String(d.id), label: `${d.code} — ${name(d.designationEn, d.designationHi)}` }))}
            error={m(errors.ddoCodeId)}
          />
          <MultiSelect
            label={t('contract.field.budgetLines')}
            required
            searchable
            value={budgetLineIds}
            onChange={setBudgetLineIds}
            data={(options?.budgetLines ?? []).map((b) => ({ value: String(b.id), label: `${b.head} — ${name(b.schemeNameEn, b.schemeNameHi)}` }))}
            error={m(errors.budgetLineIds)}
          />
          <Select
            label={t('contract.field.paymentMode')}
            required
            value={paymentMode}
            allowDeselect={false}
            onChange={(v) => setPaymentMode(v ?? 'through_agency')}
            data={(['through_agency', 'direct'] as const).map((m) => ({ value: m, label: t(`contract.paymentMode.${m}`) }))}
            error={m(errors.paymentMode)}
          />
          <Select
            label={t('contract.field.wageBasis')}
            required
            value={wageBasis}
            allowDeselect={false}
            onChange={(v) => setWageBasis(v ?? 'monthly')}
            data={(['monthly', 'daily'] as const).map((m) => ({ value: m, label: t(`contract.wageBasis.${m}`) }))}
            error={m(errors.wageBasis)}
          />
        </SimpleGrid>

        <Title order={3} mt="sm">{t('contract.create.statutoryTitle')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('contract.field.serviceCharge')} description={t('contract.field.serviceChargeHint')} required inputMode="decimal" autoComplete="off" value={serviceCharge} onChange={(e) => setServiceCharge(e.currentTarget.value)} error={m(errors.serviceChargeBp)} />
          <TextInput label={t('contract.field.bonus')} description={t('contract.field.bonusHint')} inputMode="decimal" autoComplete="off" value={bonus} onChange={(e) => setBonus(e.currentTarget.value)} error={m(errors.bonusBp)} />
          <Select
            label={t('contract.field.epfMode')}
            required
            value={epfMode}
            allowDeselect={false}
            onChange={(v) => setEpfMode(v ?? 'capped')}
            data={(['none', 'capped', 'uncapped'] as const).map((m) => ({ value: m, label: t(`contract.epf.${m}`) }))}
            error={m(errors.epfMode)}
          />
          <Checkbox mt={{ base: 0, sm: 'xl' }} label={t('contract.field.esic')} checked={esicApplies} onChange={(e) => setEsicApplies(e.currentTarget.checked)} error={m(errors.esicApplies)} />
        </SimpleGrid>

        <Title order={3} mt="sm">{t('contract.post.title')}</Title>
        {errors.posts && <Alert color="red">{m(errors.posts)}</Alert>}
        <Stack gap="sm">
          {rows.map((r, i) => (
            <PostRowFields
              key={r.key}
              row={r}
              index={i}
              offices={options?.offices ?? []}
              skillLevels={options?.skillLevels ?? []}
              postNames={options?.postNames ?? []}
              wages={wageRows?.items ?? []}
              period={period}
              errors={rowErrors[i] ?? {}}
              own={own}
              onChange={(next) => {
                setRows((rs) => rs.map((x) => (x.key === r.key ? next : x)));
                setRowErrors((re) => re.map((x, j) => (j === i ? {} : x)));
              }}
              onRemove={rows.length > 1 ? () => { setRows((rs) => rs.filter((x) => x.key !== r.key)); setRowErrors([]); } : undefined}
            />
          ))}
        </Stack>
        <Group justify="space-between">
          <Button variant="outline" onClick={() => setRows((rs) => [...rs, emptyRow(nextKey.current++, officeId)])} leftSection={<span aria-hidden="true">+</span>}>
            {t('contract.post.addRow')}
          </Button>
          <Text size="sm" fw={600} aria-live="polite">
            {t('contract.post.total', { replace: { count: formatInt(totalPositions) } })} · {t('contract.post.monthlyTotal', { amount: money(bill) })}
          </Text>
        </Group>

        <Input.Wrapper id="contract-document" label={t('contract.field.document')} required description={t('contract.field.documentHint')} descriptionProps={{ id: 'contract-document-hint' }} error={m(errors.document)} errorProps={{ id: 'contract-document-error' }}>
          <input
            id="contract-document"
            name="document"
            type="file"
            accept="application/pdf,.pdf"
            required
            aria-describedby={errors.document ? 'contract-document-hint contract-document-error' : 'contract-document-hint'}
            aria-invalid={errors.document ? true : undefined}
            style={{ display: 'block', marginTop: 6 }}
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </Input.Wrapper>
        <Textarea label={t('contract.field.remark')} maxLength={500} autosize minRows={2} value={remark} onChange={(e) => setRemark(e.currentTarget.value)} error={m(errors.remark)} />
        <Group justify="flex-end">
          <Button variant="default" component={Link} to={contract ? `/contracts/${contract.id}` : '/contracts'}>{t('common.back')}</Button>
          <Button type="submit" loading={save.isPending} disabled={save.isPending}>{t('contract.create.save')}</Button>
        </Group>
      </Stack>
    </form>
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
