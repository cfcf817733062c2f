import { STEP_UP_ERROR_CODES } from '../../../shared/errors.ts';
import { Alert, Button, Group, Modal, Paper, SegmentedControl, Stack, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../lib/api.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { StepUpField } from '../../ui/StepUpField.tsx';
import { msg, problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { PD_BASE, pdKeys, type TEcheque, useWorklist } from './api.ts';
import { EchequeTable } from './EchequeTable.tsx';

/** The treasury officer's worklist: prepared e-cheques of the treasury's PD accounts, each passed or returned with a reason. */
export function WorklistPage() {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const [state, setState] = useState<'prepared' | 'passed' | 'returned'>('prepared');
  const [payeeKind, setPayeeKind] = useState<'vendor' | 'book_transfer'>('vendor');
  const { data, error } = useWorklist(state, payeeKind);
  const [deciding, setDeciding] = useState<{ echeque: TEcheque; kind: 'pass' | 'return' } | null>(null);
  const [status, setStatus] = useState<TMsg | null>(null);
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('pd.worklist.title')} />
      <Stack>
        {error && (
          <Alert color="red" role="alert">
            {error.message}
          </Alert>
        )}
        {status && (
          <Alert color="green" role="status">
            {m(status)}
          </Alert>
        )}
        <SegmentedControl
          value={state}
          onChange={(v) => setState(v as typeof state)}
          data={(['prepared', 'passed', 'returned'] as const).map((s) => ({ value: s, label: t(`pd.worklist.tab.${s}`) }))}
          aria-label={t('pd.worklist.show')}
          maw={500}
        />
        <SegmentedControl
          value={payeeKind}
          onChange={(v) => setPayeeKind(v as typeof payeeKind)}
          data={[
            { value: 'vendor', label: t('pd.worklist.vendorList') },
            { value: 'book_transfer', label: t('pd.worklist.btList') },
          ]}
          aria-label={t('pd.worklist.which')}
          maw={500}
        />
        <EchequeTable
          items={data?.items ?? []}
          caption={`${t(payeeKind === 'vendor' ? 'pd.worklist.vendorList' : 'pd.worklist.btList')} · ${t(`pd.worklist.tab.${state}`)}`}
          showAccount
          {...(state === 'prepared'
            ? {
                actions: (e: TEcheque) => (
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="xs"
                      color="#1b6e2e"
                      onClick={() => setDeciding({ echeque: e, kind: 'pass' })}
                      aria-label={t('pd.worklist.passLabel', { id: e.id })}
                    >
                      {t('pd.worklist.pass')}
                    </Button>
                    <Button
                      size="xs"
                      variant="outline"
                      color="red.9"
                      onClick={() => setDeciding({ echeque: e, kind: 'return' })}
                      aria-label={t('pd.worklist.returnLabel', { id: e.id })}
                    >
                      {t('pd.worklist.return')}
                    </Button>
                  </Group>
                ),
              }
            : {})}
        />
      </Stack>
      {deciding && (
        <DecisionModal
          echeque={deciding.echeque}
          kind={deciding.kind}
          onClose={() => setDeciding(null)}
          onDone={(e, kind) => {
            setDeciding(null);
            setStatus(msg(kind === 'pass' ? 'pd.worklist.passed' : 'pd.worklist.returned', { id: e.id }));
          }}
        />
      )}
    </Paper>
  );
}

/**
 * Pass or return one e-cheque. The treasury officer confirms either with the second factor (bar
 * A5): the code field and its "send code" button are in the dialog; a return also needs a reason.
 */
function DecisionModal({
  echeque,
  kind,
  onClose,
  onDone,
}: {
  echeque: TEcheque;
  kind: 'pass' | 'return';
  onClose: () => void;
  onDone: (e: TEcheque, kind: 'pass' | 'return') => void;
}) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [otp, setOtp] = useState('');
  const [error, setError] = useState<TMsg | null>(null);
  const [otpError, setOtpError] = useState<TMsg | null>(null);
  const [failure, setFailure] = useState<TMsg | null>(null);
  const save = useMutation({
    mutationFn: () =>
      api<TEcheque>(
        'POST',
        `${PD_BASE}/echeques/${echeque.id}/${kind}`,
        kind === 'pass' ? { ...(otp ? { otp } : {}) } : { reason: reason.trim(), ...(otp ? { otp } : {}) },
      ),
    onSuccess: async (e) => {
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      onDone(e, kind);
    },
    onError: (e) => {
      const p = problemOf(e);
      const code = e instanceof ApiError ? e.code : '';
      setError(p.fields.reason ?? null);
      setOtpError(p.fields.otp ?? (STEP_UP_ERROR_CODES.includes(code) ? p.title : null));
      setFailure(p.fields.reason || p.fields.otp || STEP_UP_ERROR_CODES.includes(code) ? null : p.title);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (kind === 'return' && reason.trim().length < 3) {
      setError(msg('pd.worklist.reasonRequired'));
      return;
    }
    save.mutate();
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={t(kind === 'pass' ? 'pd.worklist.passTitle' : 'pd.worklist.returnTitle', { id: echeque.id })}
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
          {kind === 'return' && (
            <Textarea
              label={t('pd.worklist.reason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={m(error)}
              required
              // The server takes at most 300 characters (ZEchequeReturn); a long paste is cut here, and the dialog stays on screen.
              maxLength={300}
              autosize
              minRows={2}
              maxRows={8}
            />
          )}
          <StepUpField value={otp} onChange={setOtp} error={m(otpError) ?? undefined} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={kind === 'pass' ? '#1b6e2e' : 'red.9'} loading={save.isPending}>
              {t(kind === 'pass' ? 'pd.worklist.pass' : 'pd.worklist.return')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
