import { Alert, Anchor, Button, Group, Input, Modal, Paper, Stack, Table, Text, Textarea, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTimeIst, todayIst } from '../../../shared/domain/dates.ts';
import { api, ApiError } from '../../lib/api.ts';
import { activeAssignment, can, useMe } from '../../lib/session.ts';
import { formatBytes, formatInt } from '../../ui/format.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { pdfProblem } from '../../lib/pdf.ts';
import { BASE, contractKeys, formatBp, money, problemOf, contractFlash, type TContract, type TFlash, type TMsg, msg, useMsg, type TContractVersion, useContract } from './api.ts';
import { ContractBadges, StatusBadge } from './ContractsPage.tsx';
import { ContractForm } from './ContractForm.tsx';
import { Tag } from './Tag.tsx';
import { useBilingual } from '../../lib/bilingual.ts';
import { parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';

function useContractParam() {
  const params = useParams({ strict: false }) as { id?: string };
  return Number(params.id);
}

function NotFound({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('contract.detail.heading')} crumbs={[{ label: t('contract.title'), to: '/contracts' }]} />
      <Alert color="red" role="alert">{error instanceof ApiError && error.problem.status !== 404 ? error.message : t('contract.detail.notFound')}</Alert>
    </Paper>
  );
}

/** Contract detail: identity, agency status, the terms and posts in force, version history, and the department's actions. */
export function ContractPage() {
  const { t } = useTranslation();
  const { data, error, isLoading } = useContract(useContractParam());
  if (isLoading) return <Text>{t('common.loading')}</Text>;
  if (error || !data) return <NotFound error={error} />;
  return <ContractView contract={data} />;
}

/** "New Extension / Amendment": the terms in force, pre-filled, saved as a draft version. */
export function NewVersionPage() {
  const { t } = useTranslation();
  const { data, error, isLoading } = useContract(useContractParam());
  if (isLoading) return <Text>{t('common.loading')}</Text>;
  if (error || !data) return <NotFound error={error} />;
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('contract.detail.versionTitle', { contractNo: data.contractNo })} crumbs={[{ label: t('contract.title'), to: '/contracts' }, { label: data.contractNo, to: `/contracts/${data.id}` }]} />
      <ContractForm mode="version" contract={data} />
    </Paper>
  );
}

function ContractView({ contract: c }: { contract: TContract }) {
  const { t } = useTranslation();
  const name = useBilingual();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const isAgency = activeAssignment(me)?.scopeKind === 'agency';
  const manage = can(me, 'contract.manage') && !isAgency;
  const [status, setStatus] = useState<TFlash | null>(() => contractFlash.take());
  const [actionError, setActionError] = useState<TMsg[] | null>(null);
  const [activateOpen, setActivateOpen] = useState(false);
  const [terminateOpen, setTerminateOpen] = useState(false);
  const [termDate, setTermDate] = useState(formatDate(todayIst()));
  const [termReason, setTermReason] = useState('');
  const [termErrors, setTermErrors] = useState<Record<string, TMsg>>({});
  const [docFile, setDocFile] = useState<File | null>(null);
  const [docError, setDocError] = useState<TMsg | null>(null);
  const m = useMsg();
  const statusRef = useRef<HTMLDivElement>(null);
  const busy = useRef(false);

  const inForce = c.versions.find((v) => v.state === 'in_force') ?? null;
  const draft = c.versions.find((v) => v.state === 'draft') ?? null;
  const shown: TContractVersion | undefined = inForce ?? draft ?? c.versions[0];

  const announce = (text: TMsg) => {
    setStatus({ msgs: [text], warn: false });
    setActionError(null);
    requestAnimationFrame(() => statusRef.current?.focus());
  };
  const update = async (next: TContract) => {
    qc.setQueryData(contractKeys.one(c.id), next);
    await qc.invalidateQueries({ queryKey: contractKeys.all });
  };

  const activate = useMutation({
    mutationFn: (v: TContractVersion) => api<TContract>('POST', `${BASE}/${c.id}/versions/${v.versionNo}/activate`, {}),
    onSuccess: async (next, v) => {
      setActivateOpen(false);
      await update(next);
      announce(v.versionNo === 1 ? msg('contract.detail.activated') : msg('contract.detail.versionActivated', { version: v.versionNo }));
    },
    onError: async (e) => {
      setActivateOpen(false);
      await qc.invalidateQueries({ queryKey: contractKeys.one(c.id) });
      const p = problemOf(e);
      setActionError([p.title, ...Object.values(p.fields)]);
      requestAnimationFrame(() => statusRef.current?.focus());
    },
    onSettled: () => {
      busy.current = false;
    },
  });

  const terminate = useMutation({
    mutationFn: (body: { terminatedOn: string; reason: string }) => api<TContract>('POST', `${BASE}/${c.id}/terminate`, body),
    onSuccess: async (next) => {
      setTerminateOpen(false);
      await update(next);
      announce(msg('contract.detail.terminated'));
    },
    onError: (e) => {
      const p = problemOf(e);
      setTermErrors({ ...p.fields, form: p.title });
    },
  });

  const upload = useMutation({
    mutationFn: ({ v, file }: { v: TContractVersion; file: File }) => {
      const fd = new FormData();
      fd.set('document', file, file.name);
      return api<TContract>('PUT', `${BASE}/${c.id}/versions/${v.versionNo}/document`, fd);
    },
    onSuccess: async (next) => {
      setDocError(null);
      await update(next);
      announce(msg('common.saved'));
    },
    onError: (e) => setDocError(problemOf(e).fields.document ?? problemOf(e).title),
  });

  const detail = (label: string, value: ReactNode) => (
    <>
      <Table.Th w={220} scope="row">{label}</Table.Th>
      <Table.Td>{value}</Table.Td>
    </>
  );
  const docLink = (v: TContractVersion) =>
    v.document ? (
      <Anchor href={`${BASE}/${c.id}/versions/${v.versionNo}/document`} target="_blank" rel="noopener">
        {t('contract.detail.download')}
        <VisuallyHidden> ({t('contract.field.version')} {v.versionNo})</VisuallyHidden>
      </Anchor>
    ) : (
      <Text span size="sm" c="red.9">{t('contract.detail.noDocument')}</Text>
    );
  const flagged = new Set(c.belowMinimumWageFlags.map((f) => f.postId));

  return (
    <Paper withBorder p="lg">
      <PageTitle title={`${t('contract.detail.heading')}: ${c.contractNo}`} crumbs={[{ label: t('contract.title'), to: '/contracts' }]} />
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Group gap="xs">
          <Button variant="default" component={Link} to="/contracts">{t('common.back')}</Button>
          <StatusBadge status={c.status} />
          <ContractBadges c={c} />
        </Group>
        {manage && (
          <Group>
            {draft && (
              <Button onClick={() => setActivateOpen(true)} disabled={!draft.document} data-testid="contract-activate">
                {draft.versionNo === 1 ? t('contract.detail.activate') : t('contract.detail.activateVersion', { version: draft.versionNo })}
              </Button>
            )}
            {c.status === 'active' && !draft && (
              <Button variant="outline" component={Link} to={`/contracts/${c.id}/versions/new`}>{t('contract.detail.newVersion')}</Button>
            )}
            {c.status === 'active' && (
              <Button variant="outline" color="red.9" onClick={() => { setTermErrors({}); setTerminateOpen(true); }}>{t('contract.detail.terminate')}</Button>
            )}
          </Group>
        )}
      </Group>
      {status && (
        <Alert color={status.warn ? 'yellow' : 'green'} role="status" mb="sm" ref={statusRef} tabIndex={-1} withCloseButton closeButtonLabel={t('common.close')} onClose={() => setStatus(null)}>
          {status.msgs.map((x) => m(x)).join(' ')}
        </Alert>
      )}
      {actionError && (
        <Alert color="red" role="alert" mb="sm" ref={status ? undefined : statusRef} tabIndex={-1}>
          {actionError.map((x) => m(x)).join(' ')}
        </Alert>
      )}
      {!manage && <Alert color="blue" mb="sm">{t('contract.detail.readOnly')}</Alert>}
      {c.agencyStatus === 'blacklisted' && (
        <Alert color="red" mb="sm" role="note">{t('contract.detail.blacklistedAlert', { reason: c.agencyStatusReason || t('contract.agencyStatus.blacklisted') })}</Alert>
      )}
      {c.belowMinimumWageFlags.length > 0 && (
        <Alert color="red" mb="sm" role="note" title={t('contract.badge.belowMinimum')}>
          <Text size="sm">{t('contract.detail.belowMinimumAlert')}</Text>
          <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
            {c.belowMinimumWageFlags.map((f) => (
              <li key={`${f.postId}-${f.revisionId}`}>
                <Text size="sm">
                  {name(f.postNameEn, f.postNameHi)} ({name(f.skillLevelNameEn, f.skillLevelNameHi)}, {f.officeId}): {money(f.wagePaise)} &lt; {money(f.minimumPaise)} — {formatDate(f.revisionEffectiveFrom)} {f.notificationRef}
                </Text>
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {manage && draft && inForce && <Alert color="yellow" mb="sm">{t('contract.detail.draftVersion', { version: draft.versionNo })}</Alert>}

      <Table.ScrollContainer minWidth={760}>
        <Table withTableBorder variant="vertical" mb="md">
          <caption style={{ captionSide: 'top', textAlign: 'left', fontWeight: 600, paddingBottom: 8 }}>{t('contract.detail.heading')}</caption>
          <Table.Tbody>
            <Table.Tr>
              {detail(t('contract.field.contractNo'), c.contractNo)}
              {detail(t('contract.field.contractDate'), formatDate(c.contractDate))}
            </Table.Tr>
            <Table.Tr>
              {detail(t('contract.field.agency'), c.agencyName)}
              {detail(
                t('contract.field.agencyStatus'),
                <Tag color={c.agencyStatus === 'verified' ? '#1b6e2e' : 'red.9'} variant={c.agencyStatus === 'verified' ? 'outline' : 'filled'} data-testid="contract-agency-status">
                  {t(`contract.agencyStatus.${c.agencyStatus}`, { defaultValue: c.agencyStatus })}
                </Tag>,
              )}
            </Table.Tr>
            <Table.Tr>
              {detail(t('contract.field.office'), `${name(c.officeNameEn, c.officeNameHi)} (${c.officeId})`)}
              {detail(t('contract.field.department'), name(c.departmentNameEn, c.departmentNameHi))}
            </Table.Tr>
            <Table.Tr>
              {detail(t('contract.field.procurementMode'), t(`contract.procurement.${c.procurementMode}`))}
              {detail(t('contract.field.gem'), c.procurementMode === 'gem' ? `${c.gemContractNo} / ${c.gemBidNo || '—'}` : '—')}
            </Table.Tr>
            <Table.Tr>
              {detail(t('contract.field.createdAt'), c.registeredOn ? formatDate(c.registeredOn) : '—')}
              {detail(t('contract.field.isLegacy'), t(c.isLegacy ? 'common.yes' : 'common.no'))}
            </Table.Tr>
            {c.terminatedOn && (
              <Table.Tr>
                {detail(t('contract.field.terminatedOn'), formatDate(c.terminatedOn))}
                {detail(t('contract.field.terminationReason'), c.terminationReason)}
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      {shown && (
        <>
          <Title order={3} mb="xs">{shown.state === 'in_force' ? t('contract.detail.terms') : t('contract.detail.termsDraft')} ({t('contract.field.version')} {shown.versionNo})</Title>
          <Table.ScrollContainer minWidth={760}>
            <Table withTableBorder variant="vertical" mb="md" data-testid="contract-terms">
              <Table.Tbody>
                <Table.Tr>
                  {detail(t('contract.field.period'), `${formatDate(shown.startDate)} – ${formatDate(shown.endDate)}`)}
                  {detail(t('contract.field.ddoCode'), `${shown.ddoCode} — ${name(shown.ddoDesignationEn, shown.ddoDesignationHi)}`)}
                </Table.Tr>
                <Table.Tr>
                  {detail(t('contract.field.budgetLines'), shown.budgetLines.map((b) => b.head).join(', '))}
                  {detail(t('contract.field.paymentMode'), t(`contract.paymentMode.${shown.paymentMode}`))}
                </Table.Tr>
                <Table.Tr>
                  {detail(t('contract.field.wageBasis'), t(`contract.wageBasis.${shown.wageBasis}`))}
                  {detail(t('contract.field.serviceCharge'), formatBp(shown.serviceChargeBp))}
                </Table.Tr>
                <Table.Tr>
                  {detail(t('contract.field.epfMode'), t(`contract.epf.${shown.epfMode}`))}
                  {detail(t('contract.field.esicShort'), t(shown.esicApplies ? 'common.yes' : 'common.no'))}
                </Table.Tr>
                <Table.Tr>
                  {detail(t('contract.field.bonus'), formatBp(shown.bonusBp))}
                  {detail(
                    t('contract.detail.document'),
                    <>
                      {docLink(shown)}
                      {shown.document && <Text size="xs" c="dark.6">{formatBytes(shown.document.sizeBytes)} · SHA-256 {shown.document.sha256.slice(0, 16)}…</Text>}
                    </>,
                  )}
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {manage && draft && (
            <Group align="flex-end" mb="md">
              <Input.Wrapper id="contract-version-document" label={`${t('contract.field.document')} — ${t('contract.field.version')} ${draft.versionNo}`} description={t('contract.field.documentHint')} error={m(docError)}>
                <input
                  id="contract-version-document"
                  type="file"
                  accept="application/pdf,.pdf"
                  aria-invalid={docError ? true : undefined}
                  style={{ display: 'block', marginTop: 6 }}
                  onChange={(e) => setDocFile(e.currentTarget.files?.[0] ?? null)}
                />
              </Input.Wrapper>
              <Button
                variant="outline"
                loading={upload.isPending}
                onClick={async () => {
                  const p = await pdfProblem(docFile);
                  if (p) setDocError(msg(`contract.create.${p}`));
                  else upload.mutate({ v: draft, file: docFile! });
                }}
              >
                {t('common.save')}
              </Button>
            </Group>
          )}

          <Table.ScrollContainer minWidth={900}>
            <Table withTableBorder striped mb="md" data-testid="contract-posts">
              <caption style={{ captionSide: 'top', textAlign: 'left', fontWeight: 600, paddingBottom: 8 }}>{t('contract.detail.postsCaption', { version: shown.versionNo })}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>{t('contract.post.office')}</Table.Th>
                  <Table.Th>{t('contract.post.skillLevel')}</Table.Th>
                  <Table.Th>{t('contract.post.postName')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('contract.post.positions')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('contract.post.basic')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('contract.post.vda')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('contract.post.wage')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.posts.map((p, i) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>{formatInt(i + 1)}</Table.Td>
                    <Table.Td>{name(p.officeNameEn, p.officeNameHi)} ({p.officeId})</Table.Td>
                    <Table.Td>{name(p.skillLevelNameEn, p.skillLevelNameHi)}</Table.Td>
                    <Table.Td>{name(p.postNameEn, p.postNameHi)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{formatInt(p.positions)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{money(p.basicPaise)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{money(p.vdaPaise)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>
                      {money(p.totalPaise)}
                      {flagged.has(p.id) && <Tag ml={6} color="red.9" variant="outline">{t('contract.badge.belowMinimum')}</Tag>}
                    </Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr>
                  <Table.Th colSpan={4} scope="row">{t('contract.detail.totalPositions')}</Table.Th>
                  <Table.Td style={{ textAlign: 'right' }} fw={700}>{formatInt(shown.totalPositions)}</Table.Td>
                  <Table.Th colSpan={2} scope="row" style={{ textAlign: 'right' }}>{t('contract.detail.monthlyBill')}</Table.Th>
                  <Table.Td style={{ textAlign: 'right' }} fw={700}>{money(shown.posts.reduce((s, p) => s + p.positions * p.totalPaise, 0))}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}

      <Stack gap="xs" mt="lg">
        <Title order={3}>{t('contract.detail.history')}</Title>
        <Table.ScrollContainer minWidth={900}>
          <Table withTableBorder striped data-testid="contract-versions">
            <caption style={{ captionSide: 'top', textAlign: 'left', paddingBottom: 8 }}>{t('contract.detail.historyCaption')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('contract.field.version')}</Table.Th>
                <Table.Th>{t('contract.detail.versionKind')}</Table.Th>
                <Table.Th>{t('contract.field.status')}</Table.Th>
                <Table.Th>{t('contract.field.period')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('contract.detail.totalPositions')}</Table.Th>
                <Table.Th>{t('contract.detail.versionDate')}</Table.Th>
                <Table.Th>{t('contract.detail.document')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.versions.map((v) => (
                <Table.Tr key={v.id}>
                  <Table.Td>{v.versionNo}</Table.Td>
                  <Table.Td>{t(`contract.versionKind.${v.kind}`)}</Table.Td>
                  <Table.Td>
                    <Tag color={v.state === 'in_force' ? '#1b6e2e' : 'gray.8'} variant={v.state === 'in_force' ? 'filled' : 'outline'}>{t(`contract.versionState.${v.state}`)}</Tag>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(v.startDate)} – {formatDate(v.endDate)}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{formatInt(v.totalPositions)}</Table.Td>
                  <Table.Td>{formatDateTimeIst(v.activatedAt ?? v.createdAt)}</Table.Td>
                  <Table.Td>{docLink(v)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>

      <Modal opened={activateOpen} onClose={() => !activate.isPending && setActivateOpen(false)} title={t('contract.detail.activateTitle')} closeButtonProps={{ 'aria-label': t('common.close') }} centered>
        <Stack>
          <Text>{t('contract.detail.activateBody')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setActivateOpen(false)} disabled={activate.isPending} data-autofocus>{t('common.cancel')}</Button>
            <Button
              loading={activate.isPending}
              disabled={activate.isPending}
              onClick={() => {
                if (busy.current || !draft) return;
                busy.current = true;
                activate.mutate(draft);
              }}
            >
              {t('contract.detail.activateConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal opened={terminateOpen} onClose={() => !terminate.isPending && setTerminateOpen(false)} title={t('contract.detail.terminateTitle')} closeButtonProps={{ 'aria-label': t('common.close') }} centered>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const iso = parseIndianDate(termDate);
            const fe: Record<string, TMsg> = {};
            if (!iso) fe.terminatedOn = msg('contract.create.dateInvalid');
            if (!termReason.trim()) fe.reason = msg('contract.create.required');
            setTermErrors(fe);
            if (Object.keys(fe).length === 0) terminate.mutate({ terminatedOn: iso!, reason: termReason.trim() });
          }}
        >
          <Stack>
            {termErrors.form && <Alert color="red" role="alert">{m(termErrors.form)}</Alert>}
            <DateInput label={t('contract.detail.terminateDate')} required value={termDate} onChange={setTermDate} error={m(termErrors.terminatedOn)} data-autofocus />
            <Textarea label={t('contract.detail.terminateReason')} required maxLength={500} value={termReason} onChange={(e) => setTermReason(e.currentTarget.value)} error={m(termErrors.reason)} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setTerminateOpen(false)} disabled={terminate.isPending}>{t('common.cancel')}</Button>
              <Button type="submit" color="red.9" loading={terminate.isPending} disabled={terminate.isPending}>{t('contract.detail.terminateConfirm')}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}
