import { Alert, Badge, Button, Checkbox, Group, NativeSelect, NumberInput, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TDeadlineSetting, TOverview, TOverviewStatus } from '../../../shared/contracts/attendance.ts';
import { formatDate, formatDateTimeIst, todayIst } from '../../../shared/domain/dates.ts';
import { ApiError, api } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { can, useMe } from '../../lib/session.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { BASE, departmentSheetUrl, monthChoices, monthLabel } from './api.ts';
import { MonthlyTotals } from './MonthlyTotals.tsx';
import { SheetFilePanel } from './SheetFilePanel.tsx';
import { TableCaption } from '../../ui/TableCaption.tsx';

/** Attendance is kept on the portal from April 2026: the picker offers no month before. */
const FIRST_MONTH = '2026-04';

// Dark enough for white text (WCAG AA at the badge's small size).
const STATUS_COLOR: Record<TOverviewStatus, string> = { finalised: '#1b5e20', pending: '#7a4f00', overdue: 'red.9' };

function lastMonth(today: string): string {
  return monthChoices(today, 2)[1]!;
}

/**
 * The attendance overview (issue 15 item 7): for a month, the office-months within the user's
 * offices — finalised, pending or overdue past the deadline — counted per department (Finance:
 * statewide), with a filter "overdue only". Finance sets the deadline day here.
 */
export function OverviewPage() {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  const { data: me } = useMe();
  const today = todayIst();
  const [month, setMonth] = useState(lastMonth(today));
  const [departmentId, setDepartmentId] = useState('');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const summary = useQuery({
    queryKey: ['attendance', 'overview', month],
    queryFn: () => api<TOverview>('GET', `${BASE}/overview?month=${month}`),
    retry: false,
  });
  const listQs = `month=${month}${overdueOnly ? '&overdueOnly=true' : ''}${departmentId ? `&departmentId=${departmentId}` : ''}`;
  const list = useQuery({
    queryKey: ['attendance', 'overview', month, departmentId, overdueOnly],
    queryFn: () => api<TOverview>('GET', `${BASE}/overview?${listQs}`),
    retry: false,
  });
  const s = summary.data;
  const months = monthChoices(today).filter((m) => m >= FIRST_MONTH);
  const deptName = new Map((s?.departments ?? []).map((d) => [d.departmentId, name(d.nameEn, d.nameHi)]));
  const error = summary.error ?? list.error;
  const qc = useQueryClient();
  // The department-wide spreadsheet (every office of one department at once): for the department
  // picked, or the only one the reader sees; not for a month that has not begun.
  const sheetDepartment = departmentId ? Number(departmentId) : s?.departments.length === 1 ? s.departments[0]!.departmentId : null;

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('attendance.overview.title')} />
      <Text size="sm" mb="md" maw={900}>
        {t('attendance.overview.intro')}
      </Text>
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error.message}
        </Alert>
      )}
      <Stack gap="md">
        <Group align="flex-end">
          <NativeSelect
            label={t('attendance.overview.month')}
            value={month}
            onChange={(e) => setMonth(e.currentTarget.value)}
            data={months.map((m) => ({ value: m, label: monthLabel(m, i18n.language) }))}
            maw={260}
            data-testid="overview-month"
          />
          {s && s.departments.length > 1 && (
            <NativeSelect
              label={t('attendance.overview.department')}
              value={departmentId}
              onChange={(e) => setDepartmentId(e.currentTarget.value)}
              data={[
                { value: '', label: t('attendance.overview.allDepartments') },
                ...s.departments.map((d) => ({ value: String(d.departmentId), label: name(d.nameEn, d.nameHi) })),
              ]}
              maw={320}
              data-testid="overview-department"
            />
          )}
          <Checkbox
            label={t('attendance.overview.overdueOnly')}
            checked={overdueOnly}
            onChange={(e) => setOverdueOnly(e.currentTarget.checked)}
            mb={8}
            data-testid="overview-overdue-only"
          />
        </Group>
        {s && (
          <Text size="sm" data-testid="overview-deadline">
            {t('attendance.overview.deadline', { month: monthLabel(s.month, i18n.language), date: formatDate(s.deadline), day: s.deadlineDay })}
          </Text>
        )}
        {s && (
          <section aria-labelledby="overview-totals">
            <Text fw={600} id="overview-totals" mb="xs">
              {t('attendance.overview.totals')}
            </Text>
            <SimpleGrid cols={{ base: 2, sm: 4 }} maw={720}>
              {(['offices', 'finalised', 'pending', 'overdue'] as const).map((k) => (
                <Paper withBorder p="sm" key={k} data-testid={`overview-total-${k}`}>
                  <Text size="sm">{t(`attendance.overview.${k}`)}</Text>
                  <Text size="xl" fw={700}>
                    {s.totals[k]}
                  </Text>
                </Paper>
              ))}
            </SimpleGrid>
          </section>
        )}
        {s && s.totals.offices === 0 && <Text>{t('attendance.overview.none')}</Text>}
        {s && s.departments.length > 0 && (
          <Table.ScrollContainer minWidth={600}>
            <Table withTableBorder data-testid="overview-departments">
              <TableCaption>{t('attendance.overview.byDepartment', { month: monthLabel(s.month, i18n.language) })}</TableCaption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('attendance.overview.department')}</Table.Th>
                  <Table.Th>{t('attendance.overview.offices')}</Table.Th>
                  <Table.Th>{t('attendance.overview.finalised')}</Table.Th>
                  <Table.Th>{t('attendance.overview.pending')}</Table.Th>
                  <Table.Th>{t('attendance.overview.overdue')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.departments.map((d) => (
                  <Table.Tr key={d.departmentId} data-testid={`overview-department-${d.departmentId}`}>
                    <Table.Th scope="row" fw={500}>
                      {name(d.nameEn, d.nameHi)}
                    </Table.Th>
                    <Table.Td>{d.offices}</Table.Td>
                    <Table.Td>{d.finalised}</Table.Td>
                    <Table.Td>{d.pending}</Table.Td>
                    <Table.Td>{d.overdue}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {list.data && list.data.offices.length === 0 && overdueOnly && s && s.totals.offices > 0 && <Text>{t('attendance.overview.noneOverdue')}</Text>}
        {list.data && list.data.offices.length > 0 && (
          <Table.ScrollContainer minWidth={800}>
            <Table withTableBorder data-testid="overview-offices">
              <TableCaption>{t('attendance.overview.officesCaption', { month: monthLabel(list.data.month, i18n.language) })}</TableCaption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('attendance.overview.office')}</Table.Th>
                  <Table.Th>{t('attendance.overview.department')}</Table.Th>
                  <Table.Th>{t('attendance.overview.resources')}</Table.Th>
                  <Table.Th>{t('attendance.overview.saved')}</Table.Th>
                  <Table.Th>{t('attendance.overview.sheet')}</Table.Th>
                  <Table.Th>{t('attendance.overview.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.offices.map((o) => (
                  <Table.Tr key={o.officeId} data-testid={`overview-office-${o.officeId}`}>
                    <Table.Th scope="row" fw={500}>
                      {name(o.nameEn, o.nameHi)} ({o.officeId})
                    </Table.Th>
                    <Table.Td>{deptName.get(o.departmentId) ?? o.departmentId}</Table.Td>
                    <Table.Td>{o.resources}</Table.Td>
                    <Table.Td>{o.saved}</Table.Td>
                    <Table.Td>{t(`attendance.overview.sheetState.${o.sheet}`)}</Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOR[o.status]} variant="filled" data-testid={`overview-status-${o.officeId}`}>
                        {t(`attendance.overview.statusLabel.${o.status}`)}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {list.data?.more && <Text size="sm">{t('attendance.overview.more', { count: list.data.offices.length })}</Text>}
        {s && <MonthlyTotals departmentId={departmentId} department={departmentId ? deptName.get(Number(departmentId)) : undefined} firstMonth={FIRST_MONTH} />}
        {sheetDepartment !== null && (
          <SheetFilePanel
            base={departmentSheetUrl(sheetDepartment, month)}
            title={t('attendance.sheetFile.departmentTitle', { department: deptName.get(sheetDepartment) ?? String(sheetDepartment) })}
            mayUpload={can(me, 'attendance.manage')}
            onSaved={() => void qc.invalidateQueries({ queryKey: ['attendance'] })}
          />
        )}
        {can(me, 'attendance.deadline') && <DeadlineForm />}
      </Stack>
    </Paper>
  );
}

/** Finance: the day of the next month after which a month not finalised is overdue. */
function DeadlineForm() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { data } = useQuery({ queryKey: ['attendance', 'deadline'], queryFn: () => api<TDeadlineSetting>('GET', `${BASE}/deadline`) });
  const [day, setDay] = useState<string | number>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const value = day === '' ? (data?.deadlineDay ?? '') : day;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 28) {
      setError(t('attendance.overview.deadlineHint'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api('PUT', `${BASE}/deadline`, { deadlineDay: n });
      setStatus(t('attendance.overview.deadlineSaved', { day: n }));
      setDay('');
      await qc.invalidateQueries({ queryKey: ['attendance'] });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate onSubmit={(e) => void save(e)} aria-labelledby="deadline-title">
      <Text fw={600} id="deadline-title" mb="xs">
        {t('attendance.overview.deadlineHeading')}
      </Text>
      <div role="status" aria-live="polite">
        {status && (
          <Alert color="green" mb="sm" data-testid="deadline-status">
            <Text size="sm" c="dark.9">
              {status}
            </Text>
          </Alert>
        )}
      </div>
      <Group align="flex-end">
        <NumberInput
          label={t('attendance.overview.deadlineDay')}
          description={t('attendance.overview.deadlineHint')}
          value={value}
          onChange={setDay}
          min={1}
          max={28}
          allowDecimal={false}
          error={error}
          maw={420}
          data-testid="deadline-day"
        />
        <Button type="submit" loading={busy} data-testid="deadline-save">
          {t('attendance.overview.deadlineSave')}
        </Button>
      </Group>
      {data?.updatedBy && data.updatedAt && (
        <Text size="xs" mt={4}>
          {t('attendance.overview.deadlineBy', { name: data.updatedBy, date: formatDateTimeIst(data.updatedAt) })}
        </Text>
      )}
    </form>
  );
}
