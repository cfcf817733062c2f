import { Alert, Anchor, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';
import { formatInt } from '../../ui/format.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { useContracts, useDashboard } from './api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

/** Days between two ISO dates (b − a). */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="sm">{label}</Text>
      <Text fz={26} fw={700} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

/** Legacy registration: progress against 30 June 2026, and the contracts registered late. */
export function LegacyDashboardPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data: d, error } = useDashboard();
  const { data: lateNew } = useContracts({ late: 'true', page: 1, pageSize: 100, sort: 'contractDate', dir: 'desc' });
  const { data: legacy } = useContracts({ legacy: 'true', page: 1, pageSize: 200, sort: 'contractDate', dir: 'desc' });
  if (error)
    return (
      <Alert color="red" role="alert">
        {error.message}
      </Alert>
    );
  if (!d) return <Text>{t('common.loading')}</Text>;
  const tot = d.totals;
  // New contracts registered more than lateAfterDays after their date, and legacy contracts registered after the deadline.
  const late = [
    ...(lateNew?.items ?? []).map((c) => ({ c, days: Math.max(0, daysBetween(c.contractDate, c.registeredOn ?? d.today) - d.lateAfterDays) })),
    ...(legacy?.items ?? []).filter((c) => c.registeredOn && c.registeredOn > d.deadline).map((c) => ({ c, days: daysBetween(d.deadline, c.registeredOn!) })),
  ];
  const legacyAll = tot.legacyRegistered + tot.legacyDrafts;
  const pct = legacyAll === 0 ? 0 : Math.round((tot.legacyRegistered * 100) / legacyAll);
  const deadline = formatDate(d.deadline);
  const cutoff = formatDate(d.legacyBefore);
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('contract.legacy.title')} />
      <Text size="sm" mb="md" maw={900}>
        {t('contract.legacy.intro', { deadline, cutoff })}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} mb="md">
        <Stat label={t('contract.legacy.deadline')} value={deadline} />
        <Stat
          label={
            d.daysToDeadline >= 0
              ? t('contract.legacy.daysLeft', { days: formatInt(d.daysToDeadline) })
              : t('contract.legacy.daysPast', { days: formatInt(-d.daysToDeadline) })
          }
          value={formatInt(Math.abs(d.daysToDeadline))}
        />
        <Stat label={t('contract.legacy.registeredOnTime')} value={formatInt(tot.legacyByDeadline)} testId="legacy-on-time" />
        <Stat label={t('contract.legacy.registeredLate')} value={formatInt(tot.legacyAfterDeadline)} testId="legacy-late" />
      </SimpleGrid>
      <Stack gap={4} mb="lg">
        <Group justify="space-between">
          <Text fw={600} id="legacy-progress-label">
            {t('contract.legacy.progress')}
          </Text>
          <Text size="sm">{t('contract.legacy.progressLabel', { registered: formatInt(tot.legacyRegistered), expected: formatInt(legacyAll) })}</Text>
        </Group>
        <Progress.Root size="xl">
          <Progress.Section value={pct} color="#1b6e2e" aria-labelledby="legacy-progress-label" aria-valuetext={`${pct}%`} />
        </Progress.Root>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="lg">
        <Stat label={t('contract.legacy.newContracts', { cutoff })} value={formatInt(tot.newRegistered)} />
        <Stat label={t('contract.badge.lateRegistered')} value={formatInt(tot.newRegisteredLate + tot.newDraftsOverdue)} testId="new-late" />
        <Stat label={t('contract.legacy.registered')} value={formatInt(tot.legacyRegistered)} />
      </SimpleGrid>

      <Title order={3} mb="xs">
        {t('contract.legacy.byDepartment')}
      </Title>
      <Table.ScrollContainer minWidth={800}>
        <Table withTableBorder striped mb="lg">
          <TableCaption plain>{t('contract.legacy.byDepartmentCaption')}</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('contract.field.department')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('contract.legacy.registeredOnTime')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('contract.legacy.registeredLate')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('contract.status.draft')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('contract.legacy.newContracts', { cutoff })}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('contract.badge.lateRegistered')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.departments.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text ta="center" size="sm">
                    {t('common.noData')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {d.departments.map((r) => (
              <Table.Tr key={r.departmentId}>
                <Table.Td>{name(r.nameEn, r.nameHi)}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{formatInt(r.legacyByDeadline)}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{formatInt(r.legacyAfterDeadline)}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{formatInt(r.legacyDrafts)}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{formatInt(r.newRegistered)}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{formatInt(r.newRegisteredLate + r.newDraftsOverdue)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Title order={3} mb="xs">
        {t('contract.legacy.lateTitle')}
      </Title>
      <Table.ScrollContainer minWidth={800}>
        <Table withTableBorder striped data-testid="late-contracts">
          <TableCaption plain>{t('contract.legacy.lateCaption', { cutoff, deadline })}</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('contract.field.contractNo')}</Table.Th>
              <Table.Th>{t('contract.field.contractDate')}</Table.Th>
              <Table.Th>{t('contract.field.createdAt')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('contract.legacy.lateBy')}</Table.Th>
              <Table.Th>{t('contract.field.agency')}</Table.Th>
              <Table.Th>{t('contract.field.office')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lateNew && legacy && late.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text ta="center" size="sm">
                    {t('common.noData')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {late.map(({ c, days }) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/contracts/${c.id}`}>
                    {c.contractNo}
                  </Anchor>
                </Table.Td>
                <Table.Td>{formatDate(c.contractDate)}</Table.Td>
                <Table.Td>{c.registeredOn ? formatDate(c.registeredOn) : t('contract.status.draft')}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{formatInt(days)}</Table.Td>
                <Table.Td>{c.agencyName}</Table.Td>
                <Table.Td>
                  {name(c.officeNameEn, c.officeNameHi)} ({c.officeId})
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
