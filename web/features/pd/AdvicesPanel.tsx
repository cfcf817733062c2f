import { STEP_UP_ERROR_CODES } from '../../../shared/errors.ts';
import { Alert, Button, Checkbox, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { ApiError } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { StepUpField } from '../../ui/StepUpField.tsx';
import { msg, problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { Tag } from '../contract/Tag.tsx';
import { approveAdvice, createAdvice, type TAdvice, useAdvices } from './adv-api.ts';
import { money, newIdempotencyKey, pdKeys, type TPdAccount } from './api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

const right = { textAlign: 'right' } as const;
const STEP_UP_CODES = STEP_UP_ERROR_CODES;

/**
 * The account's advices (issue 18 item 4): the administrator (`mayWork`: pd.withdraw on an open
 * account) selects prepared e-cheques not yet in an advice into a new draft advice, and approves
 * a draft with the second factor (bar A5); only then are its e-cheques on the treasury's
 * worklist. Anyone who may read the account sees the advices.
 */
export function AdvicesPanel({ account, mayWork }: { account: TPdAccount; mayWork: boolean }) {
  const { t } = useTranslation();
  const m = useMsg();
  const { data, error } = useAdvices(account.id);
  const [status, setStatus] = useState<TMsg | null>(null);
  const [approving, setApproving] = useState<TAdvice | null>(null);
  const advices = data?.items ?? [];
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-advices-h" data-testid="pd-advices-panel">
      <Title order={3} id="pd-advices-h" mb="xs">
        {t('pd-adv.advice.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('pd-adv.advice.hint')}
      </Text>
      <Stack>
        {error && (
          <Alert color="red" role="alert">
            {error.message}
          </Alert>
        )}
        {status && (
          <Alert color="green" role="status" data-testid="pd-advice-status">
            {m(status)}
          </Alert>
        )}
        {mayWork && <MakeAdvice account={account} onMade={(a) => setStatus(msg('pd-adv.advice.made', { no: a.adviceNo }))} onStart={() => setStatus(null)} />}
        <Table.ScrollContainer minWidth={900}>
          <Table withTableBorder striped data-testid="pd-advices">
            <TableCaption>{t('pd-adv.advice.caption')}</TableCaption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('pd-adv.advice.col.no')}</Table.Th>
                <Table.Th>{t('pd-adv.advice.col.state')}</Table.Th>
                <Table.Th style={right}>{t('pd-adv.advice.col.total')}</Table.Th>
                <Table.Th style={right}>{t('pd-adv.advice.col.count')}</Table.Th>
                <Table.Th>{t('pd-adv.advice.col.echeques')}</Table.Th>
                <Table.Th>{t('pd-adv.advice.col.createdAt')}</Table.Th>
                <Table.Th>{t('pd-adv.advice.col.approvedAt')}</Table.Th>
                {mayWork && <Table.Th>{t('pd-adv.advice.col.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data && advices.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text size="sm">{t('pd-adv.advice.none')}</Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {advices.map((a) => (
                <Table.Tr key={a.id} data-testid={`advice-${a.id}`}>
                  <Table.Th scope="row">{a.adviceNo}</Table.Th>
                  <Table.Td>
                    <Tag color={a.state === 'approved' ? '#1b6e2e' : 'blue.9'} variant={a.state === 'approved' ? 'filled' : 'outline'}>
                      {t(`pd-adv.advice.state.${a.state}`)}
                    </Tag>
                  </Table.Td>
                  <Table.Td style={right}>{money(a.totalPaise)}</Table.Td>
                  <Table.Td style={right}>{a.count}</Table.Td>
                  <Table.Td>{a.echeques.map((e) => e.id).join(', ')}</Table.Td>
                  <Table.Td>{formatDateTimeIst(a.createdAt)}</Table.Td>
                  <Table.Td>{a.approvedAt ? formatDateTimeIst(a.approvedAt) : '—'}</Table.Td>
                  {mayWork && (
                    <Table.Td>
                      {a.state === 'draft' && (
                        <Button
                          size="xs"
                          color="#1b6e2e"
                          onClick={() => {
                            setStatus(null);
                            setApproving(a);
                          }}
                          aria-label={t('pd-adv.advice.approveLabel', { no: a.adviceNo })}
                        >
                          {t('pd-adv.advice.approve')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
      {approving && (
        <ApproveModal
          advice={approving}
          onClose={() => setApproving(null)}
          onDone={(a) => {
            setApproving(null);
            setStatus(msg('pd-adv.advice.approved', { no: a.adviceNo }));
          }}
        />
      )}
    </Paper>
  );
}

/**
 * The prepared e-cheques of the account in no advice, with a checkbox each, and "Make advice".
 * The Idempotency-Key (bar M1) is new for each selection and after each advice made: a retry of
 * the same selection cannot make a second advice.
 */
function MakeAdvice({ account, onMade, onStart }: { account: TPdAccount; onMade: (a: TAdvice) => void; onStart: () => void }) {
  const { t } = useTranslation();
  const m = useMsg();
  const name = useBilingual();
  const qc = useQueryClient();
  const pending = account.echeques.filter((e) => e.state === 'prepared' && e.adviceNo === null);
  const [picked, setPicked] = useState<number[]>([]);
  const [key, setKey] = useState(newIdempotencyKey);
  const [problem, setProblem] = useState<TMsg | null>(null);
  const selected = picked.filter((id) => pending.some((e) => e.id === id));
  const choose = (ids: number[]) => {
    setPicked(ids);
    setKey(newIdempotencyKey());
  };
  const save = useMutation({
    mutationFn: () => createAdvice(account.id, key, selected),
    onSuccess: async (a) => {
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      setPicked([]);
      setKey(newIdempotencyKey());
      onMade(a);
    },
    onError: (e) => setProblem(problemOf(e).title),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    onStart();
    if (selected.length === 0) {
      setProblem(msg('pd-adv.advice.selectRequired'));
      return;
    }
    setProblem(null);
    save.mutate();
  };
  const all = pending.length > 0 && selected.length === pending.length;
  return (
    <form onSubmit={submit} noValidate data-testid="pd-advice-make">
      <Stack>
        {problem && (
          <Alert color="red" role="alert">
            {m(problem)}
          </Alert>
        )}
        <Table.ScrollContainer minWidth={800}>
          <Table withTableBorder striped data-testid="pd-advice-pending">
            <TableCaption>{t('pd-adv.advice.pendingCaption')}</TableCaption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={48}>
                  <Checkbox
                    aria-label={t('pd-adv.advice.selectAll')}
                    checked={all}
                    indeterminate={selected.length > 0 && !all}
                    disabled={pending.length === 0}
                    onChange={() => choose(all ? [] : pending.map((e) => e.id))}
                  />
                </Table.Th>
                <Table.Th>{t('pd.col.echequeNo')}</Table.Th>
                <Table.Th>{t('pd.col.line')}</Table.Th>
                <Table.Th>{t('pd.col.payee')}</Table.Th>
                <Table.Th style={right}>{t('pd.col.amount')}</Table.Th>
                <Table.Th>{t('pd.col.preparedAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {pending.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text size="sm">{t('pd-adv.advice.nonePending')}</Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {pending.map((e) => (
                <Table.Tr key={e.id} data-testid={`advice-pending-${e.id}`}>
                  <Table.Td>
                    <Checkbox
                      aria-label={t('pd-adv.advice.select', { id: e.id })}
                      checked={selected.includes(e.id)}
                      onChange={(ev) => choose(ev.currentTarget.checked ? [...selected, e.id] : selected.filter((x) => x !== e.id))}
                    />
                  </Table.Td>
                  <Table.Td>{e.id}</Table.Td>
                  <Table.Td>{name(e.linePurposeEn, e.linePurposeHi)}</Table.Td>
                  <Table.Td>
                    {e.payeeName}
                    <Text size="xs" c="dark.6">
                      {e.payeeKind === 'vendor' ? `${e.payeeAccountNo} · ${e.payeeIfsc}` : t('pd.btTo', { head: e.headOfAccount })}
                    </Text>
                  </Table.Td>
                  <Table.Td style={right}>{money(e.amountPaise)}</Table.Td>
                  <Table.Td>{formatDateTimeIst(e.preparedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={pending.length === 0}>
            {t('pd-adv.advice.make')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Approves one draft advice. The administrator confirms with the second factor (bar A5), as the
 * treasury officer confirms a pass (WorklistPage's DecisionModal): the code field and its "send
 * code" button are in the dialog. One Idempotency-Key per dialog, kept while the approval is retried.
 */
function ApproveModal({ advice, onClose, onDone }: { advice: TAdvice; onClose: () => void; onDone: (a: TAdvice) => void }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const [key] = useState(newIdempotencyKey);
  const [otp, setOtp] = useState('');
  const [otpError, setOtpError] = useState<TMsg | null>(null);
  const [failure, setFailure] = useState<TMsg | null>(null);
  const save = useMutation({
    mutationFn: () => approveAdvice(advice.id, key, otp),
    onSuccess: async (a) => {
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      onDone(a);
    },
    onError: (e) => {
      const p = problemOf(e);
      const stepUp = STEP_UP_CODES.includes(e instanceof ApiError ? e.code : '');
      setOtpError(p.fields.otp ?? (stepUp ? p.title : null));
      setFailure(p.fields.otp || stepUp ? null : p.title);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    setOtpError(null);
    setFailure(null);
    save.mutate();
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('pd-adv.advice.approveTitle', { no: advice.adviceNo })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {failure && (
            <Alert color="red" role="alert">
              {m(failure)}
            </Alert>
          )}
          <Text size="sm">{t('pd-adv.advice.approveHint', { n: advice.count, total: money(advice.totalPaise) })}</Text>
          <StepUpField value={otp} onChange={setOtp} error={m(otpError) ?? undefined} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="#1b6e2e" loading={save.isPending}>
              {t('pd-adv.advice.approve')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
