import { STEP_UP_ERROR_CODES } from '../../../shared/errors.ts';
import { Alert, Button, Group, Modal, Paper, SegmentedControl, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTimeIst, todayIst } from '../../../shared/domain/dates.ts';
import { api, ApiError } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { parseIndianDate } from '../../lib/dates.ts';
import { activeAssignment, can, useMe } from '../../lib/session.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { StepUpField } from '../../ui/StepUpField.tsx';
import { msg, problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { pdKeys } from './api.ts';
import {
  OPEN_BASE,
  postStep,
  STATE_COLOUR,
  type TApplication,
  type TPlainStep,
  type TProposal,
  type TProposalSummary,
  useApplications,
  useProposal,
  useProposals,
} from './open-api.ts';
import { OpeningProposalForm } from './OpeningProposalForm.tsx';
import { TableCaption } from '../../ui/TableCaption.tsx';

const OTP_CODES = STEP_UP_ERROR_CODES;

/**
 * Opening PD accounts (issue 18 item 1; docs/PD.md "Opening a PD account (web)"). Everyone with
 * `pd.open.read` sees the proposals in reach with their state; each role sees the step it may
 * take: the department's office admin drafts, edits and submits a proposal and applies to the
 * treasury once it is sanctioned; the HOD's office admin recommends; Finance sanctions or refuses
 * with a reason (second factor); the treasury officer registers each application at the treasury
 * (second factor), which opens the account and shows its number.
 */
export function OpeningPage() {
  const { t } = useTranslation();
  const m = useMsg();
  const { data: me } = useMe();
  const role = activeAssignment(me)?.role;
  const propose = can(me, 'pd.open.propose');
  const register = can(me, 'pd.open.register');
  const [status, setStatus] = useState<TMsg | null>(null);
  // The form: closed, a new proposal (null) or a draft being edited.
  const [editing, setEditing] = useState<{ draft: TProposal | null } | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);
  return (
    <Stack>
      <Paper withBorder p="lg">
        <PageTitle title={t('pd-open.title')} />
        <Text size="sm">{t('pd-open.intro')}</Text>
        {status && (
          <Alert color="green" role="status" mt="md" data-testid="pd-open-status">
            {m(status)}
          </Alert>
        )}
        {propose && !editing && (
          <Group mt="md">
            <Button
              onClick={() => {
                setStatus(null);
                setEditing({ draft: null });
              }}
            >
              {t('pd-open.form.open')}
            </Button>
          </Group>
        )}
      </Paper>
      {editing && (
        <OpeningProposalForm
          draft={editing.draft}
          onClose={() => setEditing(null)}
          onSaved={(p, created) => {
            setEditing(null);
            setViewing(p.id);
            setStatus(msg(created ? 'pd-open.done.created' : 'pd-open.done.updated', { id: p.id }));
          }}
        />
      )}
      {role !== 'treasury_officer' && (
        <ProposalsSection
          role={role}
          onStatus={setStatus}
          onView={setViewing}
          onEdit={async (id) => {
            setStatus(null);
            setEditing({ draft: await api<TProposal>('GET', `${OPEN_BASE}/proposals/${id}`) });
          }}
        />
      )}
      {viewing !== null && role !== 'treasury_officer' && <ProposalDetail id={viewing} onClose={() => setViewing(null)} />}
      {(register || role === 'treasury_officer') && <ApplicationsSection canRegister={register} onStatus={setStatus} />}
    </Stack>
  );
}

function StateTag({ state }: { state: TProposalSummary['state'] }) {
  const { t } = useTranslation();
  return (
    <Text size="sm" fw={600} c={STATE_COLOUR[state]}>
      {t(`pd-open.state.${state}`)}
    </Text>
  );
}

function ProposalsSection({
  role,
  onStatus,
  onView,
  onEdit,
}: {
  role: string | undefined;
  onStatus: (m: TMsg | null) => void;
  onView: (id: number) => void;
  onEdit: (id: number) => void;
}) {
  const { t } = useTranslation();
  const m = useMsg();
  const name = useBilingual();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const scopeKind = activeAssignment(me)?.scopeKind;
  const propose = can(me, 'pd.open.propose');
  const sanction = can(me, 'pd.open.sanction');
  const { data, error } = useProposals();
  const [failure, setFailure] = useState<TMsg | null>(null);
  const [deciding, setDeciding] = useState<{ p: TProposalSummary; kind: 'sanction' | 'refuse' } | null>(null);
  const stepDone: Record<TPlainStep, string> = { submit: 'pd-open.done.submitted', recommend: 'pd-open.done.recommended', apply: 'pd-open.done.applied' };
  const step = useMutation({
    mutationFn: ({ id, s }: { id: number; s: TPlainStep }) => postStep(id, s),
    onSuccess: async (p, { s }) => {
      setFailure(null);
      onStatus(msg(stepDone[s], { id: p.id }));
      await qc.invalidateQueries({ queryKey: pdKeys.all });
    },
    onError: (e) => {
      onStatus(null);
      setFailure(problemOf(e).title);
      void qc.invalidateQueries({ queryKey: pdKeys.all });
    },
  });
  const isHod = scopeKind === 'hod' || scopeKind === 'department';
  const items = data?.items ?? [];
  const stepButton = (p: TProposalSummary, s: TPlainStep, color?: string) => (
    <Button
      size="xs"
      color={color}
      loading={step.isPending && step.variables?.id === p.id && step.variables.s === s}
      onClick={() => step.mutate({ id: p.id, s })}
      aria-label={t(`pd-open.action.${s}Label`, { id: p.id })}
    >
      {t(`pd-open.action.${s}`)}
    </Button>
  );
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-open-list-h">
      <Title order={2} size="h3" id="pd-open-list-h" mb="sm">
        {t('pd-open.list.title')}
      </Title>
      <Stack>
        {error && (
          <Alert color="red" role="alert">
            {error.message}
          </Alert>
        )}
        {failure && (
          <Alert color="red" role="alert">
            {m(failure)}
          </Alert>
        )}
        <Table.ScrollContainer minWidth={1000}>
          <Table withTableBorder striped data-testid="pd-open-proposals">
            <TableCaption>{t('pd-open.list.caption')}</TableCaption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('pd-open.col.no')}</Table.Th>
                <Table.Th>{t('pd-open.col.department')}</Table.Th>
                <Table.Th>{t('pd-open.col.hod')}</Table.Th>
                <Table.Th>{t('pd-open.col.source')}</Table.Th>
                <Table.Th>{t('pd-open.col.rows')}</Table.Th>
                <Table.Th>{t('pd-open.col.state')}</Table.Th>
                <Table.Th>{t('pd-open.col.decision')}</Table.Th>
                <Table.Th>{t('pd-open.col.updated')}</Table.Th>
                <Table.Th>{t('pd-open.col.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={9}>
                    <Text size="sm">{t('pd-open.list.none')}</Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {items.map((p) => (
                <Table.Tr key={p.id} data-testid={`pd-open-proposal-${p.id}`}>
                  <Table.Td>{p.id}</Table.Td>
                  <Table.Td>{name(p.departmentEn, p.departmentHi)}</Table.Td>
                  <Table.Td>{p.hodDesignation}</Table.Td>
                  <Table.Td>{t(`pd.source.${p.source}`)}</Table.Td>
                  <Table.Td>{p.rowCount}</Table.Td>
                  <Table.Td>
                    <StateTag state={p.state} />
                  </Table.Td>
                  <Table.Td>
                    {p.sanctionNo && p.sanctionDate && (
                      <Text size="sm">{t('pd-open.sanctionRef', { no: p.sanctionNo, date: formatDate(p.sanctionDate) })}</Text>
                    )}
                    {p.state === 'refused' && <Text size="sm">{t('pd-open.refusedBecause', { reason: p.refusalReason })}</Text>}
                  </Table.Td>
                  <Table.Td>{formatDateTimeIst(p.updatedAt)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="outline" onClick={() => onView(p.id)} aria-label={t('pd-open.action.viewLabel', { id: p.id })}>
                        {t('pd-open.action.view')}
                      </Button>
                      {propose && p.state === 'draft' && (
                        <>
                          <Button size="xs" variant="outline" onClick={() => onEdit(p.id)} aria-label={t('pd-open.action.editLabel', { id: p.id })}>
                            {t('pd-open.action.edit')}
                          </Button>
                          {stepButton(p, 'submit')}
                        </>
                      )}
                      {propose && isHod && p.state === 'submitted' && !p.mine && stepButton(p, 'recommend', '#1b6e2e')}
                      {propose && p.state === 'sanctioned' && stepButton(p, 'apply')}
                      {sanction && p.state === 'recommended' && (
                        <>
                          <Button
                            size="xs"
                            color="#1b6e2e"
                            onClick={() => setDeciding({ p, kind: 'sanction' })}
                            aria-label={t('pd-open.action.sanctionLabel', { id: p.id })}
                          >
                            {t('pd-open.action.sanction')}
                          </Button>
                          <Button
                            size="xs"
                            variant="outline"
                            color="red.9"
                            onClick={() => setDeciding({ p, kind: 'refuse' })}
                            aria-label={t('pd-open.action.refuseLabel', { id: p.id })}
                          >
                            {t('pd-open.action.refuse')}
                          </Button>
                        </>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {role === 'auditor' && <Text size="sm">{t('pd-open.list.readOnly')}</Text>}
      </Stack>
      {deciding && (
        <DecisionModal
          proposal={deciding.p}
          kind={deciding.kind}
          onClose={() => setDeciding(null)}
          onDone={(p, kind) => {
            setDeciding(null);
            onStatus(msg(kind === 'sanction' ? 'pd-open.done.sanctioned' : 'pd-open.done.refused', { id: p.id }));
          }}
        />
      )}
    </Paper>
  );
}

/** One proposal: its rows (one PD account each) with their lines and, once registered, the account number and login. */
function ProposalDetail({ id, onClose }: { id: number; onClose: () => void }) {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data, error } = useProposal(id);
  if (error)
    return (
      <Alert color="red" role="alert">
        {error.message}
      </Alert>
    );
  if (!data) return null;
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-open-detail-h" data-testid="pd-open-detail">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h3" id="pd-open-detail-h">
          {t('pd-open.detail.title', { id: data.id })}
        </Title>
        <Button variant="default" size="xs" onClick={onClose}>
          {t('common.close')}
        </Button>
      </Group>
      <Text size="sm" mb="sm">
        {t('pd-open.detail.summary', {
          department: name(data.departmentEn, data.departmentHi),
          hod: data.hodDesignation,
          source: t(`pd.source.${data.source}`),
          state: t(`pd-open.state.${data.state}`),
        })}
      </Text>
      {data.state === 'refused' && (
        <Alert color="red" mb="sm">
          {t('pd-open.refusedBecause', { reason: data.refusalReason })}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={1000}>
        <Table withTableBorder striped>
          <TableCaption>{t('pd-open.detail.caption', { id: data.id })}</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pd-open.col.position')}</Table.Th>
              <Table.Th>{t('pd-open.col.administrator')}</Table.Th>
              <Table.Th>{t('pd-open.col.treasury')}</Table.Th>
              <Table.Th>{t('pd-open.col.purpose')}</Table.Th>
              <Table.Th>{t('pd-open.col.lines')}</Table.Th>
              <Table.Th>{t('pd-open.col.validity')}</Table.Th>
              <Table.Th>{t('pd-open.col.account')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.position}</Table.Td>
                <Table.Td>
                  {`${r.administratorDesignation}, ${r.administratorOffice}`}
                  <Text size="xs" c="dark.6">
                    {`${t(`pd-open.institution.${r.institution}`)}${r.administratorMobile ? ` · ${r.administratorMobile}` : ''}`}
                  </Text>
                </Table.Td>
                <Table.Td>{name(r.treasuryEn, r.treasuryHi)}</Table.Td>
                <Table.Td>
                  {r.purpose}
                  <Text size="xs" c="dark.6">
                    {r.items}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {r.lines.map((l) => (
                    <Text size="sm" key={l.id}>
                      {l.head ? `${l.head} · ${l.purpose}` : l.purpose}
                    </Text>
                  ))}
                </Table.Td>
                <Table.Td>{r.validityDate ? formatDate(r.validityDate) : t('pd-open.detail.noValidity')}</Table.Td>
                <Table.Td>
                  <AccountCell accountNo={r.accountNo} loginId={r.loginId} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function AccountCell({ accountNo, loginId }: { accountNo: string | null; loginId: string | null }) {
  const { t } = useTranslation();
  if (!accountNo) return <Text size="sm">{t('pd-open.detail.notRegistered')}</Text>;
  return (
    <>
      <Text size="sm" fw={600}>
        {accountNo}
      </Text>
      <Text size="xs" c="dark.6">
        {loginId ? t('pd-open.detail.login', { login: loginId }) : t('pd-open.detail.noLogin')}
      </Text>
    </>
  );
}

/** Finance's sanction (order number and date) or refusal (a reason), confirmed with the second factor (bar A5). */
function DecisionModal({
  proposal,
  kind,
  onClose,
  onDone,
}: {
  proposal: TProposalSummary;
  kind: 'sanction' | 'refuse';
  onClose: () => void;
  onDone: (p: TProposal, kind: 'sanction' | 'refuse') => void;
}) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const [sanctionNo, setSanctionNo] = useState('');
  const [date, setDate] = useState(formatDate(todayIst()));
  const [reason, setReason] = useState('');
  const [otp, setOtp] = useState('');
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [otpError, setOtpError] = useState<TMsg | null>(null);
  const [failure, setFailure] = useState<TMsg | null>(null);
  const save = useMutation({
    mutationFn: (body: Record<string, string>) => api<TProposal>('POST', `${OPEN_BASE}/proposals/${proposal.id}/${kind}`, { ...body, ...(otp ? { otp } : {}) }),
    onSuccess: async (p) => {
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      onDone(p, kind);
    },
    onError: (e) => {
      const p = problemOf(e);
      const code = e instanceof ApiError ? e.code : '';
      const isOtp = OTP_CODES.includes(code);
      const { otp: fieldOtp, ...fields } = p.fields;
      setErrors(fields);
      setOtpError(fieldOtp ?? (isOtp ? p.title : null));
      setFailure(isOtp || fieldOtp || Object.keys(fields).length ? null : p.title);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fe: Record<string, TMsg> = {};
    if (kind === 'sanction') {
      const iso = parseIndianDate(date);
      if (sanctionNo.trim().length < 2) fe.sanctionNo = msg('validation.required');
      if (!iso) fe.sanctionDate = msg('contract.create.dateInvalid');
      else if (iso > todayIst()) fe.sanctionDate = msg('pd-open.sanction.dateFuture');
      setErrors(fe);
      if (Object.keys(fe).length) return;
      save.mutate({ sanctionNo: sanctionNo.trim(), sanctionDate: iso! });
    } else {
      if (reason.trim().length < 3) fe.reason = msg('pd-open.refuse.reasonRequired');
      setErrors(fe);
      if (Object.keys(fe).length) return;
      save.mutate({ reason: reason.trim() });
    }
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={t(kind === 'sanction' ? 'pd-open.sanction.title' : 'pd-open.refuse.title', { id: proposal.id })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t(kind === 'sanction' ? 'pd-open.sanction.hint' : 'pd-open.refuse.hint')}</Text>
          {failure && (
            <Alert color="red" role="alert">
              {m(failure)}
            </Alert>
          )}
          {kind === 'sanction' ? (
            <>
              <TextInput
                label={t('pd-open.sanction.no')}
                value={sanctionNo}
                onChange={(e) => setSanctionNo(e.currentTarget.value)}
                error={m(errors.sanctionNo)}
                required
                maxLength={60}
              />
              <DateInput label={t('pd-open.sanction.date')} value={date} onChange={setDate} error={m(errors.sanctionDate)} required />
            </>
          ) : (
            <Textarea
              label={t('pd-open.refuse.reason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={m(errors.reason)}
              required
              autosize
              minRows={2}
              maxLength={300}
            />
          )}
          <StepUpField value={otp} onChange={setOtp} error={m(otpError) ?? undefined} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={kind === 'sanction' ? '#1b6e2e' : 'red.9'} loading={save.isPending}>
              {t(kind === 'sanction' ? 'pd-open.action.sanction' : 'pd-open.action.refuse')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The treasury officer's applications: rows of applied proposals at the treasury, each registered with the second factor. */
function ApplicationsSection({ canRegister, onStatus }: { canRegister: boolean; onStatus: (m: TMsg | null) => void }) {
  const { t } = useTranslation();
  const name = useBilingual();
  const [registered, setRegistered] = useState<'no' | 'yes'>('no');
  const { data, error } = useApplications(registered === 'yes');
  const [opening, setOpening] = useState<TApplication | null>(null);
  const items = data?.items ?? [];
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-open-apps-h">
      <Title order={2} size="h3" id="pd-open-apps-h" mb="sm">
        {t('pd-open.apps.title')}
      </Title>
      <Stack>
        <Text size="sm">{t('pd-open.apps.hint')}</Text>
        {error && (
          <Alert color="red" role="alert">
            {error.message}
          </Alert>
        )}
        <SegmentedControl
          value={registered}
          onChange={(v) => setRegistered(v as typeof registered)}
          data={[
            { value: 'no', label: t('pd-open.apps.awaiting') },
            { value: 'yes', label: t('pd-open.apps.registered') },
          ]}
          aria-label={t('pd-open.apps.show')}
          maw={420}
        />
        <Table.ScrollContainer minWidth={1000}>
          <Table withTableBorder striped data-testid="pd-open-applications">
            <TableCaption>{t(registered === 'yes' ? 'pd-open.apps.captionRegistered' : 'pd-open.apps.captionAwaiting')}</TableCaption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('pd-open.col.no')}</Table.Th>
                <Table.Th>{t('pd-open.col.department')}</Table.Th>
                <Table.Th>{t('pd-open.col.administrator')}</Table.Th>
                <Table.Th>{t('pd-open.col.purpose')}</Table.Th>
                <Table.Th>{t('pd-open.col.lines')}</Table.Th>
                <Table.Th>{t('pd-open.col.decision')}</Table.Th>
                <Table.Th>{t('pd-open.col.account')}</Table.Th>
                <Table.Th>{t('pd-open.col.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text size="sm">{t('pd-open.apps.none')}</Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {items.map((a) => (
                <Table.Tr key={a.id} data-testid={`pd-open-application-${a.id}`}>
                  <Table.Td>{t('pd-open.apps.ref', { proposal: a.proposalId, row: a.position })}</Table.Td>
                  <Table.Td>
                    {name(a.departmentEn, a.departmentHi)}
                    <Text size="xs" c="dark.6">
                      {t(`pd.source.${a.source}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {`${a.administratorDesignation}, ${a.administratorOffice}`}
                    <Text size="xs" c="dark.6">
                      {`${t(`pd-open.institution.${a.institution}`)}${a.administratorMobile ? ` · ${a.administratorMobile}` : ''}`}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {a.purpose}
                    <Text size="xs" c="dark.6">
                      {a.items}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {a.lines.map((l) => (
                      <Text size="sm" key={l.id}>
                        {l.head ? `${l.head} · ${l.purpose}` : l.purpose}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td>{a.sanctionDate ? t('pd-open.sanctionRef', { no: a.sanctionNo, date: formatDate(a.sanctionDate) }) : a.sanctionNo}</Table.Td>
                  <Table.Td>
                    <AccountCell accountNo={a.accountNo} loginId={a.loginId} />
                  </Table.Td>
                  <Table.Td>
                    {canRegister && a.accountId === null && (
                      <Button size="xs" color="#1b6e2e" onClick={() => setOpening(a)} aria-label={t('pd-open.action.registerLabel', { purpose: a.purpose })}>
                        {t('pd-open.action.register')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
      {opening && (
        <RegisterModal
          application={opening}
          onClose={() => setOpening(null)}
          onDone={(a) => {
            setOpening(null);
            onStatus(
              a.loginId
                ? msg('pd-open.done.registered', { accountNo: a.accountNo ?? '', login: a.loginId })
                : msg('pd-open.done.registeredNoLogin', { accountNo: a.accountNo ?? '' }),
            );
          }}
        />
      )}
    </Paper>
  );
}

function RegisterModal({ application, onClose, onDone }: { application: TApplication; onClose: () => void; onDone: (a: TApplication) => void }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const [otp, setOtp] = useState('');
  const [otpError, setOtpError] = useState<TMsg | null>(null);
  const [failure, setFailure] = useState<TMsg | null>(null);
  const save = useMutation({
    mutationFn: () => api<TApplication>('POST', `${OPEN_BASE}/applications/${application.id}/register`, otp ? { otp } : {}),
    onSuccess: async (a) => {
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      onDone(a);
    },
    onError: (e) => {
      const p = problemOf(e);
      const code = e instanceof ApiError ? e.code : '';
      const isOtp = OTP_CODES.includes(code);
      setOtpError(p.fields.otp ?? (isOtp ? p.title : null));
      setFailure(isOtp || p.fields.otp ? null : p.title);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!save.isPending) save.mutate();
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('pd-open.register.title', { purpose: application.purpose })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t(application.institution === 'government' ? 'pd-open.register.hint' : 'pd-open.register.hintNonGov')}</Text>
          {failure && (
            <Alert color="red" role="alert">
              {m(failure)}
            </Alert>
          )}
          <StepUpField value={otp} onChange={setOtp} error={m(otpError) ?? undefined} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="#1b6e2e" loading={save.isPending}>
              {t('pd-open.action.register')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
