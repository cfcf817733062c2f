import { Alert, Anchor, Badge, Button, FileInput, Group, List, Paper, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { ApiError, api } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { parseIndianDate } from '../../lib/dates.ts';
import { can, useMe } from '../../lib/session.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { money, monthName, monthsOver, PROOF_BASE, proofKeys, rupeesToPaise, type TGateSetting, type TProof, useGate, useProofs } from './api.ts';

const right = { textAlign: 'right' } as const;
const PAGE_SIZE = 25;

type UploadForm = { month: string; trrn: string; paymentDate: string; esicChallanNo: string; esicChallanDate: string; esicAmount: string };
const EMPTY: UploadForm = { month: '', trrn: '', paymentDate: '', esicChallanNo: '', esicChallanDate: '', esicAmount: '' };

/** One form state for the upload (the house pattern: not a useState per field). */
function useUploadForm() {
  const [v, setV] = useState<UploadForm>({ ...EMPTY, month: monthsOver()[0] ?? '' });
  const set = (k: keyof UploadForm) => (value: string) => setV((s) => ({ ...s, [k]: value }));
  return { v, set, reset: () => setV({ ...EMPTY, month: monthsOver()[0] ?? '' }) };
}

/** The agency uploads the ECR and the ESIC challan of a wage month; every refused ECR line is listed. */
function UploadForm() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { v, set } = useUploadForm();
  const [file, setFile] = useState<File | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<{ title: string; lines: string[] } | null>(null);
  const save = useMutation({
    mutationFn: (fd: FormData) => api<TProof>('POST', PROOF_BASE, fd),
    onSuccess: async (p) => {
      await qc.invalidateQueries({ queryKey: proofKeys.all });
      await navigate({ to: `/proofs/${p.id}` });
    },
    onError: (e) => {
      if (e instanceof ApiError) {
        const errs = e.problem.errors ?? [];
        const byField: Record<string, string> = {};
        for (const fe of errs)
          if (fe.field !== 'ecr') byField[fe.field === 'esicAmountPaise' ? 'esicAmount' : fe.field] = fe.message ?? t(`validation.${fe.code}`);
        setFields(byField);
        setProblem({ title: e.problem.title, lines: errs.filter((fe) => fe.field === 'ecr').map((fe) => fe.message ?? t(`validation.${fe.code}`, fe.params)) });
      } else setProblem({ title: t('common.somethingWrong'), lines: [] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const errs: Record<string, string> = {};
    const paymentDate = parseIndianDate(v.paymentDate);
    const challanDate = parseIndianDate(v.esicChallanDate);
    const amount = rupeesToPaise(v.esicAmount);
    if (!/^\d{13}$/.test(v.trrn.trim())) errs.trrn = t('proof.form.trrnHint');
    if (!paymentDate) errs.paymentDate = t('validation.date_format');
    if (!v.esicChallanNo.trim()) errs.esicChallanNo = t('validation.required');
    if (!challanDate) errs.esicChallanDate = t('validation.date_format');
    if (amount === null) errs.esicAmount = t('proof.form.amountHint');
    if (!file) errs.ecr = t('proof.form.fileRequired');
    setFields(errs);
    if (Object.keys(errs).length) return;
    const fd = new FormData();
    fd.append('month', v.month);
    fd.append('trrn', v.trrn.trim());
    fd.append('paymentDate', paymentDate!);
    fd.append('esicChallanNo', v.esicChallanNo.trim());
    fd.append('esicChallanDate', challanDate!);
    fd.append('esicAmountPaise', String(amount));
    fd.append('ecr', file!);
    save.mutate(fd);
  };
  return (
    <Paper withBorder p="md" mb="md">
      <form onSubmit={submit} noValidate>
        <Title order={2} size="h4" mb="xs">
          {t('proof.form.title')}
        </Title>
        <Text size="sm" mb="sm">
          {t('proof.form.intro')}
        </Text>
        {problem && (
          <Alert color="red" role="alert" mb="sm" data-testid="proof-upload-error">
            <Text size="sm">{problem.title}</Text>
            {problem.lines.length > 0 && (
              <List size="sm" mt="xs">
                {problem.lines.map((l) => (
                  <List.Item key={l}>{l}</List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        <Group align="start" wrap="wrap">
          <Select
            label={t('proof.form.month')}
            data={monthsOver().map((m) => ({ value: m, label: monthName(m, i18n.language) }))}
            value={v.month}
            onChange={(x) => set('month')(x ?? '')}
            allowDeselect={false}
            required
            w={200}
            data-testid="proof-month"
          />
          <TextInput
            label={t('proof.form.trrn')}
            description={t('proof.form.trrnHint')}
            value={v.trrn}
            onChange={(e) => set('trrn')(e.currentTarget.value)}
            error={fields.trrn}
            inputMode="numeric"
            maxLength={13}
            required
            w={220}
          />
          <DateInput label={t('proof.form.paymentDate')} value={v.paymentDate} onChange={set('paymentDate')} error={fields.paymentDate} required w={180} />
        </Group>
        <Group align="start" wrap="wrap" mt="sm">
          <TextInput
            label={t('proof.form.esicChallanNo')}
            value={v.esicChallanNo}
            onChange={(e) => set('esicChallanNo')(e.currentTarget.value)}
            error={fields.esicChallanNo}
            maxLength={30}
            required
            w={220}
          />
          <DateInput
            label={t('proof.form.esicChallanDate')}
            value={v.esicChallanDate}
            onChange={set('esicChallanDate')}
            error={fields.esicChallanDate}
            required
            w={180}
          />
          <TextInput
            label={t('proof.form.esicAmount')}
            description={t('proof.form.amountHint')}
            value={v.esicAmount}
            onChange={(e) => set('esicAmount')(e.currentTarget.value)}
            error={fields.esicAmount}
            inputMode="decimal"
            required
            w={200}
          />
        </Group>
        <Group align="end" mt="sm">
          <FileInput
            label={t('proof.form.file')}
            description={t('proof.form.fileHint')}
            accept=".txt,text/plain"
            value={file}
            onChange={setFile}
            error={fields.ecr}
            clearable
            clearButtonProps={{ 'aria-label': t('common.clear') }}
            required
            w={320}
            data-testid="proof-file"
          />
          <Button type="submit" loading={save.isPending} data-testid="proof-upload">
            {t('proof.form.submit')}
          </Button>
        </Group>
      </form>
    </Paper>
  );
}

/** Finance switches the proof gate per department, each change with its reason. */
function GatePanel() {
  const { t } = useTranslation();
  const name = useBilingual();
  const qc = useQueryClient();
  const { data } = useGate(true);
  const [editing, setEditing] = useState<TGateSetting | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: (g: TGateSetting) => api<TGateSetting>('PUT', `${PROOF_BASE}/gate/${g.departmentId}`, { enabled: !g.enabled, reason }),
    onSuccess: async () => {
      setEditing(null);
      setReason('');
      await qc.invalidateQueries({ queryKey: proofKeys.gate });
    },
    onError: (e) => setError(e instanceof ApiError ? (e.problem.errors?.[0]?.message ?? e.problem.title) : t('common.somethingWrong')),
  });
  return (
    <Paper withBorder p="md" mb="md">
      <Title order={2} size="h4" mb="xs">
        {t('proof.gate.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('proof.gate.intro')}
      </Text>
      <Table.ScrollContainer minWidth={600}>
        <Table withTableBorder striped data-testid="proof-gate">
          <Table.Caption>{t('proof.gate.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('proof.gate.department')}</Table.Th>
              <Table.Th>{t('proof.gate.state')}</Table.Th>
              <Table.Th>{t('proof.gate.reason')}</Table.Th>
              <Table.Th>{t('proof.gate.action')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.items.map((g) => (
              <Table.Tr key={g.departmentId}>
                <Table.Td>{name(g.departmentNameEn, g.departmentNameHi)}</Table.Td>
                <Table.Td>{g.enabled ? t('proof.gate.on') : t('proof.gate.off')}</Table.Td>
                <Table.Td>{g.reason}</Table.Td>
                <Table.Td>
                  {editing?.departmentId === g.departmentId ? (
                    <Group align="end" gap="xs">
                      <TextInput
                        label={t('proof.gate.reasonLabel')}
                        value={reason}
                        onChange={(e) => setReason(e.currentTarget.value)}
                        error={error}
                        maxLength={500}
                        w={260}
                      />
                      <Button size="xs" loading={change.isPending} onClick={() => change.mutate(g)}>
                        {g.enabled ? t('proof.gate.switchOff') : t('proof.gate.switchOn')}
                      </Button>
                      <Button size="xs" variant="subtle" onClick={() => setEditing(null)}>
                        {t('common.cancel')}
                      </Button>
                    </Group>
                  ) : (
                    <Switch
                      checked={g.enabled}
                      aria-label={t('proof.gate.toggle', { department: name(g.departmentNameEn, g.departmentNameHi) })}
                      onChange={() => {
                        setEditing(g);
                        setReason('');
                        setError(null);
                      }}
                    />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** Statutory proofs in reach: the agency its own (and the upload), department roles their agencies', Finance all (and the gate). */
export function ProofsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [page, setPage] = useState(1);
  const { data, error } = useProofs(page, PAGE_SIZE);
  return (
    <Stack gap={0}>
      <PageTitle title={t('proof.title')} />
      {can(me.data, 'proof.upload') && <UploadForm />}
      {can(me.data, 'proof.gate') && <GatePanel />}
      <Paper withBorder p="lg">
        {error && (
          <Alert color="red" role="alert" mb="sm">
            {error.message}
          </Alert>
        )}
        <Table.ScrollContainer minWidth={900}>
          <Table withTableBorder striped data-testid="proof-list">
            <Table.Caption>{t('proof.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('proof.col.month')}</Table.Th>
                <Table.Th>{t('proof.col.agency')}</Table.Th>
                <Table.Th>{t('proof.col.version')}</Table.Th>
                <Table.Th>{t('proof.col.trrn')}</Table.Th>
                <Table.Th style={right}>{t('proof.col.members')}</Table.Th>
                <Table.Th style={right}>{t('proof.col.esic')}</Table.Th>
                <Table.Th>{t('proof.col.status')}</Table.Th>
                <Table.Th>{t('proof.col.uploaded')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {!data && !error && (
                <Table.Tr>
                  <Table.Td colSpan={8}>{t('common.loading')}</Table.Td>
                </Table.Tr>
              )}
              {data?.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text size="sm">{t('proof.none')}</Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {data?.items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/proofs/${p.id}`}>
                      {monthName(p.month, i18n.language)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{p.agencyName}</Table.Td>
                  <Table.Td>
                    {p.version}
                    {!p.current && ` (${t('proof.replaced')})`}
                  </Table.Td>
                  <Table.Td>{p.trrn}</Table.Td>
                  <Table.Td style={right}>{p.members}</Table.Td>
                  <Table.Td style={right}>{money(p.esicAmountPaise)}</Table.Td>
                  <Table.Td>
                    <Badge color={p.status === 'reconciled' ? '#1b6e2e' : 'red.9'} variant="filled">
                      {t(`proof.status.${p.status}`)}
                    </Badge>
                    {p.differences > 0 && ` ${t('proof.differencesCount', { count: p.differences })}`}
                  </Table.Td>
                  <Table.Td>{formatDateTimeIst(p.uploadedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {data && <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} label={t('proof.caption')} />}
      </Paper>
    </Stack>
  );
}
