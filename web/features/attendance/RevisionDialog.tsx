import { Group, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DAY_FIELDS, type TDayField } from '../../../shared/contracts/attendance.ts';
import { ApiError, api } from '../../lib/api.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { sheetUrl, type TAttendanceRow } from './api.ts';

type Values = Record<TDayField, string>;

/** The figures in force for a finalised row: its latest approved revision, else as finalised. */
export function inForce(r: TAttendanceRow): Record<TDayField, number | null> {
  return r.revised ?? { present: r.present, paidLeave: r.paidLeave, offs: r.offs, absence: r.absence };
}

/**
 * "Request revision" for one row of a finalised month (the department manager): the corrected
 * figures and a reason, sent to the office's DDO. The finalised row itself never changes.
 */
export function RevisionDialog({
  officeId,
  month,
  row,
  who,
  onDone,
}: {
  officeId: number;
  month: string;
  row: TAttendanceRow;
  who: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const start = (): Values => {
    const f = inForce(row);
    return { present: String(f.present ?? ''), paidLeave: String(f.paidLeave ?? ''), offs: String(f.offs ?? ''), absence: String(f.absence ?? '') };
  };
  const [values, setValues] = useState<Values>(start);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  return (
    <ConfirmDialog
      label={t('attendance.revision.request')}
      title={t('attendance.revision.requestTitle', { name: who })}
      confirm={t('attendance.revision.submit')}
      variant="outline"
      testId={`revise-${row.resourceId}`}
      errorTestId="revision-error"
      busy={busy}
      intro={t('attendance.revision.requestIntro', { days: row.daysOnRolls })}
      error={formError}
      onOpen={() => {
        setValues(start());
        setReason('');
        setFormError(null);
        setFieldErrors({});
      }}
      onConfirm={async (close) => {
        setBusy(true);
        setFormError(null);
        setFieldErrors({});
        try {
          const num = (s: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(s) ? Number(s) : Number.NaN);
          const entry = { resourceId: row.resourceId, ...Object.fromEntries(DAY_FIELDS.map((f) => [f, num(values[f])])) };
          // A cell that is not a number is sent as -1 so that the server names it (whole days, 0 or more).
          for (const f of DAY_FIELDS) if (Number.isNaN((entry as Record<string, number>)[f])) (entry as Record<string, number>)[f] = -1;
          await api('POST', `${sheetUrl(officeId, month)}/revisions`, { reason, rows: [entry] });
          close();
          onDone();
        } catch (e) {
          if (e instanceof ApiError) {
            const fe = e.fieldErrors();
            const byField: Record<string, string> = {};
            for (const [k, v] of Object.entries(fe)) byField[k.replace(/^rows\.0\./, '')] = v;
            setFieldErrors(byField);
            setFormError(Object.keys(byField).length ? Object.values(byField).join(' ') : e.message);
          } else setFormError(String(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Group grow align="flex-start">
        {DAY_FIELDS.map((f) => (
          <TextInput
            key={f}
            label={t(`attendance.col.${f}`)}
            inputMode="numeric"
            autoComplete="off"
            value={values[f]}
            onChange={(ev) => {
              const v = ev.currentTarget.value;
              setValues((x) => ({ ...x, [f]: v }));
            }}
            error={fieldErrors[f] ? true : undefined}
            data-testid={`revise-${f}`}
          />
        ))}
      </Group>
      <Textarea
        label={t('attendance.revision.reason')}
        required
        autosize
        minRows={2}
        maxLength={1000}
        value={reason}
        onChange={(ev) => setReason(ev.currentTarget.value)}
        error={fieldErrors.reason}
        data-testid="revise-reason"
      />
    </ConfirmDialog>
  );
}
