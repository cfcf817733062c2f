import { Alert, Button, FileInput, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HOLIDAY_KINDS, type THoliday, type THolidayImportReport, type THolidayList } from '../../../shared/contracts/attendance.ts';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { ApiError, api } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { dateProblem, parseIndianDate } from '../../lib/dates.ts';
import { activeAssignment, useMe } from '../../lib/session.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { BASE, monthChoices, monthLabel } from './api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

type District = { id: number; code: string; nameEn: string; nameHi: string };

/**
 * The holiday calendar: Finance keeps the statewide holidays and each district's (local)
 * holidays — it picks "statewide only" or a district — and imports them from a spreadsheet; a
 * department manager sees the statewide, its district's and its office's holidays and keeps its
 * office's own; a district admin sees the statewide and its district's and keeps (and imports) its
 * district's local holidays. A month's holidays are listed; the keeper adds one (date, name in
 * Hindi and English, gazetted / optional / local), changes or removes one it keeps. Holidays count
 * with the weekly offs and pre-fill them on the grid for rows not yet saved.
 */
export function HolidaysPage() {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const a = activeAssignment(me);
  const officeId = a?.role === 'department_manager' ? a.officeId : null;
  const isFinance = a?.role === 'finance_admin';
  const isDistrictAdmin = a?.role === 'district_admin' && a.scopeKind === 'district';
  const [chosenDistrict, setDistrictId] = useState<number | null>(null);
  // A district admin's calendar is its own district's; Finance picks one (or statewide only).
  const districtId = isDistrictAdmin ? a.scopeId : chosenDistrict;
  const { data: districts } = useQuery({
    queryKey: ['org', 'districts', 'all'],
    queryFn: () => api<{ items: District[] }>('GET', '/api/v1/org/districts?pageSize=200'),
    enabled: isFinance,
    staleTime: 300_000,
  });
  const districtName = (h: THoliday) => (h.districtId === null ? '' : name(h.districtNameEn ?? '', h.districtNameHi ?? ''));
  const [month, setMonth] = useState(todayIst().slice(0, 7));
  const [date, setDate] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [nameHi, setNameHi] = useState('');
  const [kind, setKind] = useState<(typeof HOLIDAY_KINDS)[number]>(isDistrictAdmin ? 'local' : 'gazetted');
  const [editing, setEditing] = useState<THoliday | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ text: string; color: string } | null>(null);
  const key = ['attendance', 'holidays', month, officeId, districtId] as const;
  const { data } = useQuery({
    queryKey: key,
    queryFn: () =>
      api<THolidayList>('GET', `${BASE}/holidays?month=${month}${officeId ? `&officeId=${officeId}` : districtId ? `&districtId=${districtId}` : ''}`),
  });
  const mine = (h: THoliday) =>
    isDistrictAdmin
      ? h.officeId === null && h.districtId === districtId && h.kind === 'local'
      : officeId === null
        ? h.officeId === null
        : h.officeId === officeId;
  const kinds = HOLIDAY_KINDS.filter((k) =>
    isDistrictAdmin
      ? k === 'local'
      : editing
        ? k !== 'local' || editing.officeId !== null || editing.districtId !== null
        : k !== 'local' || officeId !== null || districtId !== null,
  );
  // The chosen kind, or the first one this form offers (a district admin's: local; before the session loads: gazetted).
  const kindValue = kinds.includes(kind) ? kind : (kinds[0] ?? 'gazetted');
  const scopeOf = (h: THoliday) =>
    h.officeId !== null
      ? t('attendance.holiday.office')
      : h.districtId !== null
        ? t('holidays.districtOf', { name: districtName(h) })
        : t('attendance.holiday.statewide');
  const refresh = () => qc.invalidateQueries({ queryKey: ['attendance'] });

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const iso = parseIndianDate(date);
    const local: Record<string, string> = {};
    if (!iso) local.date = t(`validation.${date.trim() ? dateProblem(date) : 'required'}`);
    if (!nameEn.trim()) local.nameEn = t('validation.required');
    if (!nameHi.trim()) local.nameHi = t('validation.required');
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      if (editing) await api('PATCH', `${BASE}/holidays/${editing.id}`, { date: iso, nameEn, nameHi, kind: kindValue });
      else await api('POST', `${BASE}/holidays`, { date: iso, officeId, districtId: officeId === null ? districtId : null, nameEn, nameHi, kind: kindValue });
      setStatus({ text: t(editing ? 'holidays.edit.done' : 'attendance.holiday.added'), color: 'green' });
      resetForm();
      await refresh();
    } catch (err) {
      if (err instanceof ApiError) {
        const fe = err.fieldErrors();
        setErrors(fe);
        setStatus({ text: err.message, color: 'red' });
      } else setStatus({ text: String(err), color: 'red' });
    } finally {
      setBusy(false);
    }
  };

  const resetForm = () => {
    setEditing(null);
    setDate('');
    setNameEn('');
    setNameHi('');
    setErrors({});
  };
  const startEdit = (h: THoliday) => {
    setEditing(h);
    setDate(formatDate(h.date));
    setNameEn(h.nameEn);
    setNameHi(h.nameHi);
    setKind(h.kind);
    setErrors({});
    setStatus(null);
  };

  const remove = async (h: THoliday) => {
    try {
      await api('DELETE', `${BASE}/holidays/${h.id}`);
      setStatus({ text: t('attendance.holiday.removed', { name: name(h.nameEn, h.nameHi) }), color: 'green' });
      await refresh();
    } catch (err) {
      setStatus({ text: err instanceof Error ? err.message : String(err), color: 'red' });
    }
  };

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('attendance.holiday.pageTitle')} />
      <Text size="sm" mb="md" maw={900}>
        {isDistrictAdmin
          ? t('holidays.introDistrictAdmin', { name: data?.district ? name(data.district.nameEn, data.district.nameHi) : '' })
          : t(officeId === null ? 'attendance.holiday.introState' : 'attendance.holiday.introOffice')}{' '}
        {t('attendance.holiday.note')}
      </Text>
      <Text size="sm" mb="md" maw={900}>
        {isFinance && `${t('holidays.introDistrict')} `}
        {t('holidays.prefillNote')}
      </Text>
      <div role="status" aria-live="polite">
        {status && (
          <Alert color={status.color} mb="sm" data-testid="holidays-status">
            <Text size="sm" c="dark.9">
              {status.text}
            </Text>
          </Alert>
        )}
      </div>
      <Stack gap="md">
        <NativeSelect
          label={t('attendance.month')}
          value={month}
          onChange={(e) => setMonth(e.currentTarget.value)}
          data={[...monthChoices(`${Number(todayIst().slice(0, 4)) + 1}-12-01`, 25)].map((m) => ({ value: m, label: monthLabel(m, i18n.language) }))}
          maw={260}
        />
        {isFinance && (
          <NativeSelect
            label={t('holidays.scopeLabel')}
            value={chosenDistrict === null ? '' : String(chosenDistrict)}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setDistrictId(v ? Number(v) : null);
              setKind(v ? 'local' : 'gazetted');
            }}
            data={[
              { value: '', label: t('holidays.scopeState') },
              ...(districts?.items ?? []).map((d) => ({ value: String(d.id), label: `${name(d.nameEn, d.nameHi)} (${d.code})` })),
            ]}
            maw={360}
            data-testid="holidays-district"
          />
        )}
        {data && data.items.length === 0 && <Text>{t('attendance.holiday.none')}</Text>}
        {data && data.items.length > 0 && (
          <Table withTableBorder data-testid="holidays-table">
            <TableCaption>
              {t('attendance.holiday.title')} — {monthLabel(month, i18n.language)}
            </TableCaption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('attendance.holiday.date')}</Table.Th>
                <Table.Th>{t('attendance.holiday.name')}</Table.Th>
                <Table.Th>{t('attendance.holiday.kind')}</Table.Th>
                <Table.Th>{t('attendance.holiday.scope')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('attendance.holiday.remove')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((h) => (
                <Table.Tr key={h.id}>
                  <Table.Td>{formatDate(h.date)}</Table.Td>
                  <Table.Th scope="row" fw={500}>
                    {name(h.nameEn, h.nameHi)}
                  </Table.Th>
                  <Table.Td>{t(`attendance.holiday.${h.kind}`)}</Table.Td>
                  <Table.Td>{scopeOf(h)}</Table.Td>
                  <Table.Td>
                    {mine(h) && (
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="outline"
                          onClick={() => startEdit(h)}
                          aria-label={t('holidays.edit.one', { name: name(h.nameEn, h.nameHi) })}
                          data-testid="holiday-edit"
                        >
                          {t('holidays.edit.button')}
                        </Button>
                        <Button
                          size="xs"
                          variant="outline"
                          color="red.9"
                          onClick={() => void remove(h)}
                          aria-label={t('attendance.holiday.removeOne', { name: name(h.nameEn, h.nameHi) })}
                        >
                          {t('attendance.holiday.remove')}
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <form noValidate onSubmit={(e) => void add(e)} aria-labelledby="holiday-add-title">
          <Text fw={600} id="holiday-add-title" mb="xs">
            {editing
              ? t('holidays.edit.title', { name: name(editing.nameEn, editing.nameHi) })
              : officeId !== null
                ? t('attendance.holiday.addOffice')
                : isDistrictAdmin
                  ? t('holidays.addDistrict')
                  : districtId !== null
                    ? `${t('attendance.holiday.add')} — ${t('holidays.districtOf', { name: districtLabel(districts?.items, districtId, name) })}`
                    : t('attendance.holiday.addState')}
          </Text>
          <Group align="flex-start">
            <DateInput label={t('attendance.holiday.date')} required value={date} onChange={setDate} error={errors.date} data-testid="holiday-date" />
            <TextInput
              label={t('attendance.holiday.nameEn')}
              required
              value={nameEn}
              onChange={(e) => setNameEn(e.currentTarget.value)}
              error={errors.nameEn}
              maxLength={200}
            />
            <TextInput
              label={t('attendance.holiday.nameHi')}
              required
              value={nameHi}
              onChange={(e) => setNameHi(e.currentTarget.value)}
              error={errors.nameHi}
              maxLength={200}
            />
            <NativeSelect
              label={t('attendance.holiday.kind')}
              value={kindValue}
              onChange={(e) => setKind(e.currentTarget.value as (typeof HOLIDAY_KINDS)[number])}
              data={kinds.map((k) => ({
                value: k,
                label: t(`attendance.holiday.${k}`),
              }))}
            />
          </Group>
          <Group mt="sm">
            <Button type="submit" loading={busy} data-testid="holiday-add">
              {t(editing ? 'holidays.edit.save' : 'attendance.holiday.add')}
            </Button>
            {editing && (
              <Button variant="default" onClick={resetForm}>
                {t('holidays.edit.cancel')}
              </Button>
            )}
          </Group>
        </form>
        {(isFinance || isDistrictAdmin) && (
          <ImportPanel
            onSaved={() => void refresh()}
            intro={isDistrictAdmin ? t('holidays.import.introDistrict', { code: data?.district?.code ?? '' }) : t('holidays.import.intro')}
          />
        )}
      </Stack>
    </Paper>
  );
}

function districtLabel(list: District[] | undefined, id: number, name: (en: string, hi: string) => string): string {
  const d = list?.find((x) => x.id === id);
  return d ? name(d.nameEn, d.nameHi) : String(id);
}

/**
 * Import of holidays from a spreadsheet (Finance): pick an .xlsx or .csv file, check it — every
 * row is listed with its problems, nothing saved — then save all its rows at once (offered only
 * when every row is correct; the server saves all or none).
 */
function ImportPanel({ onSaved, intro }: { onSaved: () => void; intro: string }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<THolidayImportReport | null>(null);
  const [message, setMessage] = useState<{ text: string; color: string } | null>(null);

  const send = async (save: boolean) => {
    if (!file) {
      setMessage({ text: t('holidays.import.chooseFile'), color: 'red' });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const form = new FormData();
      form.append('file', file);
      const r = await api<THolidayImportReport>('POST', `${BASE}/holidays/import?save=${save}`, form);
      setReport(r);
      if (r.saved > 0) {
        setMessage({ text: t('holidays.import.saved', { count: r.saved }), color: 'green' });
        onSaved();
      } else if (r.errors.length > 0) {
        setMessage({ text: t('holidays.import.hasErrors'), color: 'red' });
      } else {
        setMessage({ text: t('holidays.import.allGood', { rows: r.rows }), color: 'green' });
      }
    } catch (e) {
      setReport(null);
      setMessage({ text: e instanceof ApiError ? (e.fieldErrors().file ?? e.message) : String(e), color: 'red' });
    } finally {
      setBusy(false);
    }
  };

  const problemsOf = (row: number) => report?.errors.filter((e) => e.row === row) ?? [];
  const fileProblems = report?.errors.filter((e) => !report.items.some((i) => i.row === e.row)) ?? [];
  const canSave = report !== null && report.saved === 0 && report.errors.length === 0 && report.valid > 0;

  return (
    <section aria-labelledby="holiday-import-title" data-testid="holidays-import">
      <Title order={2} size="h4" id="holiday-import-title" mb="xs">
        {t('holidays.import.title')}
      </Title>
      <Text size="sm" mb="sm" maw={900}>
        {intro}
      </Text>
      <Group align="flex-end">
        <FileInput
          label={t('holidays.import.file')}
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          value={file}
          onChange={(f) => {
            setFile(f);
            setReport(null);
            setMessage(null);
          }}
          clearable
          clearButtonProps={{ 'aria-label': t('common.clear') }}
          miw={320}
          data-testid="holidays-import-file"
        />
        <Button onClick={() => void send(false)} loading={busy} variant="outline" data-testid="holidays-import-check">
          {t('holidays.import.check')}
        </Button>
        {canSave && (
          <Button onClick={() => void send(true)} loading={busy} data-testid="holidays-import-save">
            {t('holidays.import.save', { count: report.valid })}
          </Button>
        )}
      </Group>
      <div role="status" aria-live="polite">
        {message && (
          <Alert color={message.color} mt="sm" data-testid="holidays-import-status">
            <Text size="sm" c="dark.9">
              {report && report.saved === 0 && `${t('holidays.import.checked', { rows: report.rows, valid: report.valid, bad: report.rows - report.valid })} `}
              {message.text}
            </Text>
          </Alert>
        )}
      </div>
      {fileProblems.length > 0 && (
        <ul aria-label={t('holidays.import.problems')}>
          {fileProblems.map((e) => (
            <li key={`${e.row}-${e.field}-${e.code}`}>
              <Text size="sm">{e.message}</Text>
            </li>
          ))}
        </ul>
      )}
      {report && report.items.length > 0 && (
        <Table withTableBorder striped mt="sm" data-testid="holidays-import-table">
          <TableCaption>{t('holidays.import.caption')}</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('holidays.import.row')}</Table.Th>
              <Table.Th>{t('holidays.column.date')}</Table.Th>
              <Table.Th>{t('holidays.column.nameEn')}</Table.Th>
              <Table.Th>{t('holidays.column.nameHi')}</Table.Th>
              <Table.Th>{t('holidays.column.kind')}</Table.Th>
              <Table.Th>{t('holidays.column.districtCode')}</Table.Th>
              <Table.Th>{t('holidays.import.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.items.map((i) => (
              <Table.Tr key={i.row} data-ok={i.ok}>
                <Table.Th scope="row">{i.row}</Table.Th>
                <Table.Td>{i.date ? formatDate(i.date) : ''}</Table.Td>
                <Table.Td>{i.nameEn}</Table.Td>
                <Table.Td lang="hi">{i.nameHi}</Table.Td>
                <Table.Td>{(HOLIDAY_KINDS as readonly string[]).includes(i.kind) ? t(`attendance.holiday.${i.kind}`) : i.kind}</Table.Td>
                <Table.Td>{i.districtCode}</Table.Td>
                <Table.Td>
                  {i.ok ? (
                    <Text size="sm" c="dark.9" fw={600}>
                      {t('holidays.import.ok')}
                    </Text>
                  ) : (
                    problemsOf(i.row).map((e) => (
                      <Text size="sm" c="red.9" key={`${e.field}-${e.code}`}>
                        {e.message}
                      </Text>
                    ))
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}
