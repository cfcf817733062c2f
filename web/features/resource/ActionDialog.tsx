import { FileInput, Select, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RELIEVE_REASONS } from '../../../shared/contracts/resource.ts';
import { api, newIdempotencyKey } from '../../lib/api.ts';
import { dateProblem } from '../../lib/dates.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { msg, problemOf, type TMsg, type TResource, useMsg } from './api.ts';

/**
 * The parts every resource action dialog is made of (ResourceActions, LifecycleActions): the
 * dialog that sends one request, the remark field, the relieving-reason select, a file pick, and
 * the department's approve / refuse pair of an open request.
 */

export type TActionResult = { onDone: (next: TResource, message: TMsg) => Promise<void> };

export const dateMsg = (s: string) => (s.trim() ? msg(`validation.${dateProblem(s)}`) : msg('validation.required'));

/** HH:MM, 24-hour (as the contracts check times). */
export const TIME_RE = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** A required HH:MM time's error, or nothing. */
export const timeMsg = (s: string): TMsg | undefined => (TIME_RE.test(s.trim()) ? undefined : msg(s.trim() ? 'validation.time_format' : 'validation.required'));

/**
 * A resource action behind a confirm dialog (web/ui ConfirmDialog): confirm sends one request.
 * `check` returns the body to send, or the field errors to show.
 */
export function ActionDialog({
  url,
  check,
  send,
  idempotent,
  done,
  onDone,
  children,
  ...dialog
}: {
  label: string;
  title: string;
  confirm: string;
  color?: string;
  variant?: string;
  testId: string;
  url: string;
  check: () => { body: unknown } | { errors: Record<string, TMsg> };
  /** How the body is sent (default: POST to `url`; a FormData body goes as multipart). */
  send?: (body: unknown) => Promise<TResource>;
  /** A request that creates a record: sent with an Idempotency-Key made at each opening, so a repeat creates one. */
  idempotent?: boolean;
  done: TMsg;
  children?: (errors: Record<string, TMsg>) => ReactNode;
} & TActionResult) {
  const m = useMsg();
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [key, setKey] = useState(newIdempotencyKey);
  const act = useMutation({
    mutationFn: (body: unknown) => (send ? send(body) : api<TResource>('POST', url, body, idempotent ? { idempotencyKey: key } : {})),
  });
  return (
    <ConfirmDialog
      {...dialog}
      busy={act.isPending}
      error={errors.form && m(errors.form)}
      onOpen={() => {
        setErrors({});
        setKey(newIdempotencyKey());
      }}
      onConfirm={async (close) => {
        const c = check();
        if ('errors' in c) return setErrors(c.errors);
        setErrors({});
        let next: TResource;
        try {
          next = await act.mutateAsync(c.body);
        } catch (e) {
          const p = problemOf(e);
          return setErrors({ ...p.fields, form: p.title });
        }
        close();
        await onDone(next, done);
      }}
    >
      {children?.(errors)}
    </ConfirmDialog>
  );
}

/** A free-text remark of up to 500 characters (the label defaults to "Remark"). */
export function RemarkField({
  value,
  onChange,
  error,
  label,
  required,
}: {
  value: string;
  onChange: (v: string) => void;
  error: TMsg | undefined;
  label?: string;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const m = useMsg();
  return (
    <Textarea
      label={label ?? t('resource.field.remark')}
      required={required}
      maxLength={500}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={m(error)}
    />
  );
}

/** Why a worker is relieved (RELIEVE_REASONS), required. */
export function RelieveReasonSelect({ value, onChange, error }: { value: string | null; onChange: (v: string | null) => void; error: TMsg | undefined }) {
  const { t } = useTranslation();
  const m = useMsg();
  return (
    <Select
      label={t('resource.field.relieveReason')}
      required
      value={value}
      onChange={onChange}
      data={RELIEVE_REASONS.map((x) => ({ value: x, label: t(`resource.relieveReason.${x}`) }))}
      error={m(error)}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/**
 * A file chooser in the page's language (Mantine FileInput: label, hint and error tied to it), not
 * the browser's own "Choose File / No file chosen", which stays English on Hindi pages (issue 12.4).
 */
export function FilePick({
  label,
  hint,
  accept,
  error,
  onPick,
}: {
  label: string;
  hint?: string;
  accept: string;
  error?: string | undefined;
  onPick: (f: File | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <FileInput
      label={label}
      description={hint}
      accept={accept}
      error={error}
      placeholder={t('common.chooseFile')}
      clearable
      clearButtonProps={{ 'aria-label': t('common.clearFile', { name: label }) }}
      onChange={(f) => onPick(f ?? null)}
    />
  );
}

/** Translation keys of a decision pair's texts (button, title, confirm button, done message of each side). */
export type TDecisionText = {
  approve: string;
  approveTitle: string;
  approveConfirm: string;
  approved: string;
  refuse: string;
  refuseTitle: string;
  refuseConfirm: string;
  refused: string;
};

/**
 * The department's approve / refuse of an open request: POST `${url}/approve` with an optional
 * remark, or `${url}/refuse` with a required one. Test ids `${testId}-approve` / `${testId}-refuse`.
 */
export function DecisionPair({
  url,
  testId,
  text,
  approveIntro,
  onDone,
}: { url: string; testId: string; text: TDecisionText; approveIntro?: ReactNode } & TActionResult) {
  const { t } = useTranslation();
  const [remark, setRemark] = useState('');
  const [refuseRemark, setRefuseRemark] = useState('');
  return (
    <>
      <ActionDialog
        label={t(text.approve)}
        title={t(text.approveTitle)}
        confirm={t(text.approveConfirm)}
        testId={`${testId}-approve`}
        url={`${url}/approve`}
        done={msg(text.approved)}
        onDone={onDone}
        check={() => ({ body: { remark: remark.trim() } })}
      >
        {(errors) => (
          <>
            {approveIntro}
            <RemarkField value={remark} onChange={setRemark} error={errors.remark} />
          </>
        )}
      </ActionDialog>
      <ActionDialog
        label={t(text.refuse)}
        title={t(text.refuseTitle)}
        confirm={t(text.refuseConfirm)}
        color="red.9"
        variant="outline"
        testId={`${testId}-refuse`}
        url={`${url}/refuse`}
        done={msg(text.refused)}
        onDone={onDone}
        check={() => (refuseRemark.trim() ? { body: { remark: refuseRemark.trim() } } : { errors: { remark: msg('validation.required') } })}
      >
        {(errors) => <RemarkField required value={refuseRemark} onChange={setRefuseRemark} error={errors.remark} />}
      </ActionDialog>
    </>
  );
}
