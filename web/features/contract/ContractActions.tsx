import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { LimitedTextarea } from '../../ui/LimitedTextInput.tsx';
import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { api } from '../../lib/api.ts';
import { parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { BASE, dateMsg, msg, problemOf, type TContract, type TContractVersion, type TMsg, useMsg } from './api.ts';

/** What an action reports to the page: the contract as it now stands and the message to announce, or the refusal. */
export type TActionResult = { onDone: (next: TContract, message: TMsg) => Promise<void>; onFail: (msgs: TMsg[]) => Promise<void> };

/** The department's actions on a contract: activate the draft, start a new version, terminate. */
export function ContractActions({ c, draft, ...result }: { c: TContract; draft: TContractVersion | null } & TActionResult) {
  const { t } = useTranslation();
  return (
    <Group>
      {draft && <ActivateButton contractId={c.id} draft={draft} {...result} />}
      {c.status === 'active' && !draft && (
        <Button variant="outline" component={Link} to={`/contracts/${c.id}/versions/new`}>
          {t('contract.detail.newVersion')}
        </Button>
      )}
      {c.status === 'active' && <TerminateButton contractId={c.id} onDone={result.onDone} />}
    </Group>
  );
}

/** "Activate" (version 1) or "Activate version N", confirmed in a dialog; a double click sends one request. */
function ActivateButton({ contractId, draft, onDone, onFail }: { contractId: number; draft: TContractVersion } & TActionResult) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const busy = useRef(false);
  const activate = useMutation({
    mutationFn: (v: TContractVersion) => api<TContract>('POST', `${BASE}/${contractId}/versions/${v.versionNo}/activate`, {}),
    onSuccess: async (next, v) => {
      setOpen(false);
      await onDone(next, v.versionNo === 1 ? msg('contract.detail.activated') : msg('contract.detail.versionActivated', { version: v.versionNo }));
    },
    onError: async (e) => {
      setOpen(false);
      const p = problemOf(e);
      await onFail([p.title, ...Object.values(p.fields)]);
    },
    onSettled: () => {
      busy.current = false;
    },
  });
  return (
    <>
      <Button onClick={() => setOpen(true)} disabled={!draft.document} data-testid="contract-activate">
        {draft.versionNo === 1 ? t('contract.detail.activate') : t('contract.detail.activateVersion', { version: draft.versionNo })}
      </Button>
      <Modal
        opened={open}
        onClose={() => !activate.isPending && setOpen(false)}
        title={t('contract.detail.activateTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        centered
      >
        <Stack>
          <Text>{t('contract.detail.activateBody')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)} disabled={activate.isPending} data-autofocus>
              {t('common.cancel')}
            </Button>
            <Button
              loading={activate.isPending}
              disabled={activate.isPending}
              onClick={() => {
                if (busy.current) return;
                busy.current = true;
                activate.mutate(draft);
              }}
            >
              {t('contract.detail.activateConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** "Terminate": a date (dd/mm/yyyy, today by default) and a reason, in a dialog. */
function TerminateButton({ contractId, onDone }: { contractId: number; onDone: TActionResult['onDone'] }) {
  const { t } = useTranslation();
  const m = useMsg();
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState(formatDate(todayIst()));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const terminate = useMutation({
    mutationFn: (body: { terminatedOn: string; reason: string }) => api<TContract>('POST', `${BASE}/${contractId}/terminate`, body),
    onSuccess: async (next) => {
      setOpen(false);
      await onDone(next, msg('contract.detail.terminated'));
    },
    onError: (e) => {
      const p = problemOf(e);
      setErrors({ ...p.fields, form: p.title });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const iso = parseIndianDate(date);
    const fe: Record<string, TMsg> = {};
    if (!iso) fe.terminatedOn = dateMsg(date);
    if (!reason.trim()) fe.reason = msg('contract.create.required');
    setErrors(fe);
    if (iso && Object.keys(fe).length === 0) terminate.mutate({ terminatedOn: iso, reason: reason.trim() });
  };
  return (
    <>
      <Button
        variant="outline"
        color="red.9"
        onClick={() => {
          setErrors({});
          setOpen(true);
        }}
      >
        {t('contract.detail.terminate')}
      </Button>
      <Modal
        opened={open}
        onClose={() => !terminate.isPending && setOpen(false)}
        title={t('contract.detail.terminateTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        centered
      >
        <form noValidate onSubmit={submit}>
          <Stack>
            {errors.form && (
              <Alert color="red" role="alert">
                {m(errors.form)}
              </Alert>
            )}
            <DateInput label={t('contract.detail.terminateDate')} required value={date} onChange={setDate} error={m(errors.terminatedOn)} data-autofocus />
            <LimitedTextarea
              label={t('contract.detail.terminateReason')}
              required
              maxLength={500}
              value={reason}
              onChange={(v) => setReason(v)}
              error={m(errors.reason)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)} disabled={terminate.isPending}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" color="red.9" loading={terminate.isPending} disabled={terminate.isPending}>
                {t('contract.detail.terminateConfirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
