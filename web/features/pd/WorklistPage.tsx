import { Alert, Button, Group, Modal, Paper, SegmentedControl, Stack, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
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
  const [returning, setReturning] = useState<TEcheque | null>(null);
  const [status, setStatus] = useState<TMsg | null>(null);
  const [failure, setFailure] = useState<TMsg | null>(null);
  const pass = useMutation({
    mutationFn: (e: TEcheque) => api<TEcheque>('POST', `${PD_BASE}/echeques/${e.id}/pass`),
    onSuccess: async (e) => {
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      setFailure(null);
      setStatus(msg('pd.worklist.passed', { id: e.id }));
    },
    onError: (e) => setFailure(problemOf(e).title),
  });
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('pd.worklist.title')} />
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
                      onClick={() => pass.mutate(e)}
                      loading={pass.isPending && pass.variables?.id === e.id}
                      aria-label={t('pd.worklist.passLabel', { id: e.id })}
                    >
                      {t('pd.worklist.pass')}
                    </Button>
                    <Button size="xs" variant="outline" color="red.9" onClick={() => setReturning(e)} aria-label={t('pd.worklist.returnLabel', { id: e.id })}>
                      {t('pd.worklist.return')}
                    </Button>
                  </Group>
                ),
              }
            : {})}
        />
      </Stack>
      {returning && (
        <ReturnModal
          echeque={returning}
          onClose={() => setReturning(null)}
          onDone={(e) => {
            setReturning(null);
            setFailure(null);
            setStatus(msg('pd.worklist.returned', { id: e.id }));
          }}
        />
      )}
    </Paper>
  );
}

function ReturnModal({ echeque, onClose, onDone }: { echeque: TEcheque; onClose: () => void; onDone: (e: TEcheque) => void }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<TMsg | null>(null);
  const save = useMutation({
    mutationFn: () => api<TEcheque>('POST', `${PD_BASE}/echeques/${echeque.id}/return`, { reason: reason.trim() }),
    onSuccess: async (e) => {
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      onDone(e);
    },
    onError: (e) => {
      const p = problemOf(e);
      setError(p.fields.reason ?? p.title);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim().length < 3) {
      setError(msg('pd.worklist.reasonRequired'));
      return;
    }
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('pd.worklist.returnTitle', { id: echeque.id })} closeButtonProps={{ 'aria-label': t('common.close') }} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Textarea
            label={t('pd.worklist.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={m(error)}
            required
            autosize
            minRows={2}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red.9" loading={save.isPending}>
              {t('pd.worklist.return')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
