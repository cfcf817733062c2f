import { Alert, Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HOLIDAY_KINDS, type THoliday } from '../../../shared/contracts/attendance.ts';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { ApiError, api } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { dateProblem, parseIndianDate } from '../../lib/dates.ts';
import { activeAssignment, useMe } from '../../lib/session.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { BASE, monthChoices, monthLabel } from './api.ts';

/**
 * The holiday calendar (kept small): Finance keeps the statewide holidays, a department manager
 * its office's own. A month's holidays are listed; the keeper adds one (date, name in Hindi and
 * English, gazetted / optional) or removes one it keeps. Holidays count with the weekly offs.
 */
export function HolidaysPage() {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const a = activeAssignment(me);
  const officeId = a?.role === 'department_manager' ? a.officeId : null;
  const [month, setMonth] = useState(todayIst().slice(0, 7));
  const [date, setDate] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [nameHi, setNameHi] = useState('');
  const [kind, setKind] = useState<(typeof HOLIDAY_KINDS)[number]>('gazetted');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ text: string; color: string } | null>(null);
  const key = ['attendance', 'holidays', month, officeId] as const;
  const { data } = useQuery({
    queryKey: key,
    queryFn: () => api<{ items: THoliday[] }>('GET', `${BASE}/holidays?month=${month}${officeId ? `&officeId=${officeId}` : ''}`),
  });
  const mine = (h: THoliday) => (officeId === null ? h.officeId === null : h.officeId === officeId);
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
      await api('POST', `${BASE}/holidays`, { date: iso, officeId, nameEn, nameHi, kind });
      setStatus({ text: t('attendance.holiday.added'), color: 'green' });
      setDate('');
      setNameEn('');
      setNameHi('');
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
        {t(officeId === null ? 'attendance.holiday.introState' : 'attendance.holiday.introOffice')} {t('attendance.holiday.note')}
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
        {data && data.items.length === 0 && <Text>{t('attendance.holiday.none')}</Text>}
        {data && data.items.length > 0 && (
          <Table withTableBorder data-testid="holidays-table">
            <caption style={{ captionSide: 'top', textAlign: 'left', fontWeight: 600, paddingBottom: 8 }}>
              {t('attendance.holiday.title')} — {monthLabel(month, i18n.language)}
            </caption>
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
                  <Table.Td>{t(h.officeId === null ? 'attendance.holiday.statewide' : 'attendance.holiday.office')}</Table.Td>
                  <Table.Td>
                    {mine(h) && (
                      <Button
                        size="xs"
                        variant="outline"
                        color="red.9"
                        onClick={() => void remove(h)}
                        aria-label={t('attendance.holiday.removeOne', { name: name(h.nameEn, h.nameHi) })}
                      >
                        {t('attendance.holiday.remove')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <form noValidate onSubmit={(e) => void add(e)} aria-labelledby="holiday-add-title">
          <Text fw={600} id="holiday-add-title" mb="xs">
            {t(officeId === null ? 'attendance.holiday.addState' : 'attendance.holiday.addOffice')}
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
              value={kind}
              onChange={(e) => setKind(e.currentTarget.value as (typeof HOLIDAY_KINDS)[number])}
              data={HOLIDAY_KINDS.map((k) => ({ value: k, label: t(`attendance.holiday.${k}`) }))}
            />
          </Group>
          <Button type="submit" mt="sm" loading={busy} data-testid="holiday-add">
            {t('attendance.holiday.add')}
          </Button>
        </form>
      </Stack>
    </Paper>
  );
}
