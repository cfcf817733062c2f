import { Alert, Anchor, Button, FileInput, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AGENCY_DOC_KINDS, type TStatusAction } from '../../../shared/contracts/agency.ts';
import { formatDate, formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { api, ApiError, newIdempotencyKey } from '../../lib/api.ts';
import { activeAssignment, can, useMe } from '../../lib/session.ts';
import { formatInt } from '../../ui/format.ts';
import { PDF_LIMIT, pdfProblem } from '../../lib/pdf.ts';
import { agencyKeys, type TAgency } from './api.ts';
import { LicenceBadge, StatusBadge } from './ParticularsForm.tsx';
import { dateProblem, parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';

/**
 * An agency's page: standing, particulars, status history, documents; the moves for verifiers.
 * `named`: show the agency's name beside its status — false where the page's heading already is the name (once, issue 12.6).
 */
export function AgencyView({ agency: a, named = true }: { agency: TAgency; named?: boolean }) {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  // The server says which moves this user may make on this agency (finding 7: Finance, or the
  // department that registered it or holds a contract with it); it decides again on each move.
  const moves: TStatusAction[] = can(me, 'agency.verify') ? a.actions : [];
  const own = can(me, 'agency.self') && activeAssignment(me)?.scopeId === a.id;
  const [action, setAction] = useState<TStatusAction | null>(null);
  const row = (label: string, value: string) => (
    <Table.Tr>
      <Table.Th scope="row" w="35%">
        {label}
      </Table.Th>
      <Table.Td>{value}</Table.Td>
    </Table.Tr>
  );

  return (
    <Stack>
      <Group gap="sm" wrap="wrap">
        {named && (
          <Text fw={600} size="lg">
            {a.legalName}
          </Text>
        )}
        <StatusBadge status={a.status} />
        <LicenceBadge alert={a.licenceAlert} />
      </Group>
      {(a.status === 'suspended' || a.status === 'blacklisted') && (
        <Alert color={a.status === 'blacklisted' ? 'red' : 'orange'} role="status" title={t(`agency.status.${a.status}`)}>
          {t('agency.view.sanctionLine', {
            orderRef: a.statusOrderRef,
            from: a.statusFrom ? formatDate(a.statusFrom) : '',
            to: a.statusTo ? formatDate(a.statusTo) : '',
            reason: a.statusReason,
          })}
        </Alert>
      )}
      {a.status === 'rejected' && (
        <Alert color="gray" role="status" title={t('agency.status.rejected')}>
          {t('agency.view.reasonLine', { reason: a.statusReason })}
        </Alert>
      )}
      {a.licenceAlert && (
        <Alert color={a.licenceAlert.kind === 'expired' ? 'red' : 'orange'} role="status">
          {a.licenceAlert.kind === 'expired'
            ? t('agency.licence.expiredLong', { date: formatDate(a.licenceValidTo) })
            : t('agency.licence.expiringLong', { date: formatDate(a.licenceValidTo), days: formatInt(a.licenceAlert.days) })}
        </Alert>
      )}
      {moves.length > 0 && (
        <Group>
          {moves.map((m) => (
            <Button
              key={m}
              variant={m === 'verify' || m === 'reinstate' ? 'filled' : 'outline'}
              color={m === 'verify' || m === 'reinstate' ? undefined : 'red'}
              onClick={() => setAction(m)}
            >
              {t(`agency.action.${m}`)}
            </Button>
          ))}
        </Group>
      )}

      <Title order={3} size="h4">
        {t('agency.view.particulars')}
      </Title>
      <Table withTableBorder>
        <Table.Tbody>
          {row(t('agency.field.type'), t(`agency.type.${a.type}`))}
          {row(t('agency.field.pan'), a.pan)}
          {row(t('agency.field.gstin'), a.gstin)}
          {row(t('agency.field.epfoCode'), a.epfoCode)}
          {row(t('agency.field.esicCode'), a.esicCode)}
          {row(t('agency.field.licenceNo'), a.licenceNo)}
          {row(t('agency.field.licenceWorkmen'), formatInt(a.licenceWorkmen))}
          {row(t('agency.field.licenceValidTo'), formatDate(a.licenceValidTo))}
          {row(t('agency.field.address'), a.address)}
          {row(t('agency.field.districtId'), i18n.language === 'hi' ? a.districtNameHi : a.districtNameEn)}
          {row(t('agency.field.contactName'), a.contactName)}
          {row(t('agency.field.mobile'), a.mobile)}
          {row(t('agency.field.email'), a.email)}
          {row(t('agency.field.bankAccount'), a.bankAccountMasked ? `${a.bankAccount} (${t('agency.view.masked')})` : a.bankAccount)}
          {row(t('agency.field.ifsc'), a.ifsc)}
          {row(t('agency.view.registeredVia'), t(`agency.via.${a.registeredVia}`))}
        </Table.Tbody>
      </Table>

      <Title order={3} size="h4">
        {t('agency.view.history')}
      </Title>
      <Table.ScrollContainer minWidth={700}>
        <Table withTableBorder striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('agency.view.when')}</Table.Th>
              <Table.Th>{t('agency.view.change')}</Table.Th>
              <Table.Th>{t('agency.view.by')}</Table.Th>
              <Table.Th>{t('agency.field.reason')}</Table.Th>
              <Table.Th>{t('agency.field.orderRef')}</Table.Th>
              <Table.Th>{t('agency.view.period')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {a.events.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{formatDateTimeIst(e.at)}</Table.Td>
                <Table.Td>
                  {e.fromStatus ? `${t(`agency.status.${e.fromStatus}`)} → ` : ''}
                  {t(`agency.status.${e.toStatus}`)}
                </Table.Td>
                <Table.Td>{e.byName ?? t('agency.view.self')}</Table.Td>
                <Table.Td>{e.reason}</Table.Td>
                <Table.Td>{e.orderRef}</Table.Td>
                <Table.Td>{e.periodFrom && e.periodTo ? `${formatDate(e.periodFrom)} – ${formatDate(e.periodTo)}` : ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Title order={3} size="h4">
        {t('agency.view.documents')}
      </Title>
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('agency.view.docKind')}</Table.Th>
            <Table.Th>{t('agency.view.docFile')}</Table.Th>
            <Table.Th>{t('agency.view.uploaded')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {a.documents.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={3}>
                <Text size="sm" ta="center">
                  {t('common.noData')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {a.documents.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>
                {t(`agency.doc.${d.kind}`)}
                {d.superseded ? ` (${t('agency.view.superseded')})` : ''}
              </Table.Td>
              <Table.Td>
                <Anchor href={`/api/v1/agencies/${a.id}/documents/${d.id}/file`} target="_blank" rel="noopener">
                  {d.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{formatDateTimeIst(d.uploadedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {own && <UploadDocument agencyId={a.id} />}
      {action && <StatusModal agency={a} action={action} onClose={() => setAction(null)} />}
    </Stack>
  );
}

function UploadDocument({ agencyId }: { agencyId: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [kind, setKind] = useState<string>('labour_licence');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  // One Idempotency-Key per document being uploaded (a new one once it is stored): a repeat stores one document.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  // Set from the click until the request ends: the PDF check is awaited first, so a second click must not start another upload.
  const busy = useRef(false);
  const upload = useMutation({
    mutationFn: () => {
      const fd = new FormData();
      fd.append('kind', kind);
      fd.append('file', file!, file!.name);
      return api<TAgency>('POST', `/api/v1/agencies/${agencyId}/documents`, fd, { idempotencyKey });
    },
    onSuccess: async () => {
      setIdempotencyKey(newIdempotencyKey());
      setFile(null);
      setDone(true);
      await qc.invalidateQueries({ queryKey: agencyKeys.all });
    },
    onError: (e) => setError(e instanceof ApiError ? (Object.values(e.fieldErrors())[0] ?? e.problem.title) : undefined),
    onSettled: () => {
      busy.current = false;
    },
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy.current || upload.isPending) return;
    busy.current = true;
    setDone(false);
    const p = await pdfProblem(file);
    setError(p ? t(`validation.${p}`, PDF_LIMIT) : undefined);
    if (p) busy.current = false;
    else upload.mutate();
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Title order={4} size="h5" mb="sm">
          {t('agency.view.uploadTitle')}
        </Title>
        {done && (
          <Alert color="green" role="status" mb="sm">
            {t('agency.view.uploaded')}
          </Alert>
        )}
        <Group align="flex-end" wrap="wrap">
          <Select
            w={240}
            label={t('agency.view.docKind')}
            value={kind}
            allowDeselect={false}
            data={AGENCY_DOC_KINDS.map((k) => ({ value: k, label: t(`agency.doc.${k}`) }))}
            onChange={(v) => setKind(v ?? 'other')}
          />
          <FileInput
            w={300}
            label={t('agency.view.docFile')}
            accept="application/pdf"
            placeholder={t('agency.form.choosePdf')}
            value={file}
            onChange={setFile}
            error={error}
            required
          />
          <Button type="submit" loading={upload.isPending}>
            {t('agency.view.upload')}
          </Button>
        </Group>
      </form>
    </Paper>
  );
}

function StatusModal({ agency, action, onClose }: { agency: TAgency; action: TStatusAction; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [f, setF] = useState({ reason: '', remark: '', orderRef: '', periodFrom: '', periodTo: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const sanction = action === 'suspend' || action === 'blacklist';
  const needsReason = action !== 'verify';
  const move = useMutation({
    mutationFn: () => {
      const body =
        action === 'verify'
          ? { remark: f.remark }
          : sanction
            ? {
                reason: f.reason,
                orderRef: f.orderRef,
                periodFrom: parseIndianDate(f.periodFrom) ?? f.periodFrom,
                periodTo: parseIndianDate(f.periodTo) ?? f.periodTo,
              }
            : { reason: f.reason };
      return api<TAgency>('POST', `/api/v1/agencies/${agency.id}/${action}`, body);
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: agencyKeys.all });
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError) {
        setErrors(e.fieldErrors());
        setProblem(e.problem.title);
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (needsReason && !f.reason.trim()) local.reason = t('validation.required');
    if (sanction) {
      if (!f.orderRef.trim()) local.orderRef = t('validation.required');
      // Dates typed dd/mm/yyyy (as everywhere in ROAMS), sent as ISO dates.
      const from = parseIndianDate(f.periodFrom);
      const to = parseIndianDate(f.periodTo);
      if (!f.periodFrom.trim()) local.periodFrom = t('validation.required');
      else if (!from) local.periodFrom = t(`validation.${dateProblem(f.periodFrom)}`);
      if (!f.periodTo.trim()) local.periodTo = t('validation.required');
      else if (!to) local.periodTo = t(`validation.${dateProblem(f.periodTo)}`);
      if (from && to && to < from) local.periodTo = t('validation.period_order');
    }
    setErrors(local);
    if (Object.keys(local).length === 0) move.mutate();
  };
  const set = (k: keyof typeof f) => (v: string) => {
    setF((x) => ({ ...x, [k]: v }));
    setErrors((x) => ({ ...x, [k]: '' }));
  };
  return (
    <Modal
      opened
      onClose={() => !move.isPending && onClose()}
      title={t(`agency.action.${action}Title`, { name: agency.legalName })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      centered
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <Text size="sm">{t(`agency.action.${action}Help`)}</Text>
          {action === 'verify' ? (
            <Textarea label={t('agency.field.remark')} name="remark" value={f.remark} onChange={(e) => set('remark')(e.currentTarget.value)} />
          ) : (
            <Textarea
              label={t('agency.field.reason')}
              name="reason"
              required
              value={f.reason}
              onChange={(e) => set('reason')(e.currentTarget.value)}
              error={errors.reason}
            />
          )}
          {sanction && (
            <>
              <TextInput
                label={t('agency.field.orderRef')}
                name="orderRef"
                required
                value={f.orderRef}
                onChange={(e) => set('orderRef')(e.currentTarget.value)}
                error={errors.orderRef}
              />
              <SimpleGrid cols={2}>
                <DateInput
                  label={t('agency.field.periodFrom')}
                  name="periodFrom"
                  required
                  value={f.periodFrom}
                  onChange={set('periodFrom')}
                  error={errors.periodFrom}
                />
                <DateInput label={t('agency.field.periodTo')} name="periodTo" required value={f.periodTo} onChange={set('periodTo')} error={errors.periodTo} />
              </SimpleGrid>
            </>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={move.isPending}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={move.isPending} color={action === 'verify' || action === 'reinstate' ? undefined : 'red'}>
              {t(`agency.action.${action}`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
