import { ActionIcon, Button, Fieldset, FileInput, Group, NativeSelect, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DAY_FIELDS, MAX_REVISION_DOC_BYTES, type TDayField } from '../../../shared/contracts/attendance.ts';
import { ApiError, api } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { sheetUrl, type TAttendanceRow, useSheet } from './api.ts';

type Values = Record<TDayField, string>;
type Line = { row: TAttendanceRow; values: Values };

/** The figures in force for a finalised row: its latest approved revision, else as finalised. */
export function inForce(r: TAttendanceRow): Record<TDayField, number | null> {
  return r.revised ?? { present: r.present, paidLeave: r.paidLeave, offs: r.offs, absence: r.absence };
}

const lineOf = (row: TAttendanceRow): Line => {
  const f = inForce(row);
  return {
    row,
    values: { present: String(f.present ?? ''), paidLeave: String(f.paidLeave ?? ''), offs: String(f.offs ?? ''), absence: String(f.absence ?? '') },
  };
};

/**
 * "Request revision" from a row of a finalised month (the department manager): the corrected
 * figures of that row — and of any other rows of the office-month added to the same request —
 * a reason and an optional supporting document (PDF, JPEG or PNG), sent to the office's DDO.
 * The finalised rows themselves never change.
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
  const name = useBilingual();
  const sheet = useSheet(officeId, month);
  const [lines, setLines] = useState<Line[]>(() => [lineOf(row)]);
  const [adding, setAdding] = useState('');
  const [reason, setReason] = useState('');
  const [doc, setDoc] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const chosen = new Set(lines.map((l) => l.row.resourceId));
  // Other rows of the month that may be revised: saved, on the rolls, nothing pending.
  const others = (sheet.data?.rows ?? []).filter((r) => !chosen.has(r.resourceId) && !r.revisionPending && !r.offRolls && r.present !== null);
  const setCell = (i: number, f: TDayField, v: string) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, values: { ...l.values, [f]: v } } : l)));
  const docError = fieldErrors.document;
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
        setLines([lineOf(row)]);
        setAdding('');
        setReason('');
        setDoc(null);
        setFormError(null);
        setFieldErrors({});
      }}
      onConfirm={async (close) => {
        setBusy(true);
        setFormError(null);
        setFieldErrors({});
        try {
          const num = (s: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(s) ? Number(s) : Number.NaN);
          const rows = lines.map((l) => {
            const entry: Record<string, number> = { resourceId: l.row.resourceId };
            // A cell that is not a number is sent as -1 so that the server names it (whole days, 0 or more).
            for (const f of DAY_FIELDS) entry[f] = Number.isNaN(num(l.values[f])) ? -1 : num(l.values[f]);
            return entry;
          });
          if (doc) {
            const form = new FormData();
            form.append('reason', reason);
            form.append('rows', JSON.stringify(rows));
            form.append('document', doc, doc.name);
            await api('POST', `${sheetUrl(officeId, month)}/revisions/with-document`, form);
          } else await api('POST', `${sheetUrl(officeId, month)}/revisions`, { reason, rows });
          close();
          onDone();
        } catch (e) {
          if (e instanceof ApiError) {
            const fe = e.fieldErrors();
            setFieldErrors(fe);
            setFormError(Object.keys(fe).length ? Object.values(fe).join(' ') : e.message);
          } else setFormError(String(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {lines.map((l, i) => {
        const who = name(l.row.nameEn, l.row.nameHi);
        return (
          <Fieldset
            key={l.row.resourceId}
            legend={t('attendance.revision.lineLegend', { name: who, days: l.row.daysOnRolls })}
            data-testid={`revise-line-${l.row.resourceId}`}
          >
            <Group grow align="flex-end" wrap="nowrap">
              {DAY_FIELDS.map((f) => (
                <TextInput
                  key={f}
                  label={t(`attendance.col.${f}`)}
                  inputMode="numeric"
                  autoComplete="off"
                  value={l.values[f]}
                  onChange={(ev) => setCell(i, f, ev.currentTarget.value)}
                  error={fieldErrors[`rows.${i}.${f}`] ? true : undefined}
                  data-testid={`revise-${f}-${l.row.resourceId}`}
                />
              ))}
              {i > 0 && (
                <ActionIcon
                  variant="subtle"
                  color="red.9"
                  size="lg"
                  aria-label={t('attendance.revision.removeLine', { name: who })}
                  onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))}
                  data-testid={`revise-remove-${l.row.resourceId}`}
                >
                  ×
                </ActionIcon>
              )}
            </Group>
            {fieldErrors[`rows.${i}.resourceId`] && (
              <Text size="sm" c="red.9" mt={4}>
                {fieldErrors[`rows.${i}.resourceId`]}
              </Text>
            )}
          </Fieldset>
        );
      })}
      {others.length > 0 && (
        <Group align="flex-end">
          <NativeSelect
            label={t('attendance.revision.addLine')}
            value={adding}
            onChange={(ev) => setAdding(ev.currentTarget.value)}
            data={[
              { value: '', label: t('attendance.revision.addLineChoose') },
              ...others.map((r) => ({ value: String(r.resourceId), label: name(r.nameEn, r.nameHi) })),
            ]}
            data-testid="revise-add-select"
            style={{ flex: 1 }}
          />
          <Button
            variant="outline"
            disabled={adding === ''}
            onClick={() => {
              const r = others.find((x) => String(x.resourceId) === adding);
              if (r) setLines((ls) => [...ls, lineOf(r)]);
              setAdding('');
            }}
            data-testid="revise-add"
          >
            {t('attendance.revision.addLineButton')}
          </Button>
        </Group>
      )}
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
      <FileInput
        label={t('attendance.revision.document')}
        description={t('attendance.revision.documentHint', { mb: MAX_REVISION_DOC_BYTES / (1024 * 1024) })}
        accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
        placeholder={t('attendance.revision.documentChoose')}
        clearable
        clearButtonProps={{ 'aria-label': t('common.clearFile', { name: t('attendance.revision.document') }) }}
        value={doc}
        onChange={setDoc}
        error={docError}
        data-testid="revise-document"
      />
    </ConfirmDialog>
  );
}
