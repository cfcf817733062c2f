import { SortControls } from '../../ui/SortControls.tsx';
import { Alert, Anchor, Button, Group, Paper, Select, Stack, Table, Text, TextInput, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';
import { qs } from '../../lib/api.ts';
import { activeAssignment, can, useMe } from '../../lib/session.ts';
import { formatInt } from '../../ui/format.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { BASE, STATUS_COLOUR, type TContractSummary, type TListQuery, useContracts } from './api.ts';
import { Tag } from './Tag.tsx';
import { useBilingual } from '../../lib/bilingual.ts';

type TSort = TListQuery['sort'];
type TFlag = 'all' | 'belowMinimumWage' | 'legacy' | 'late';

/** The badges a contract carries: its status, a blacklisted / suspended agency, a wage below a revised minimum, legacy, late. */
export function ContractBadges({ c }: { c: TContractSummary }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap">
      {c.agencyStatus === 'blacklisted' && <Tag color="red.9" variant="filled">{t('contract.badge.blacklisted')}</Tag>}
      {c.agencyStatus === 'suspended' && <Tag color="#a84300" variant="filled">{t('contract.badge.suspended')}</Tag>}
      {c.belowMinimumWage && <Tag color="red.9" variant="outline">{t('contract.badge.belowMinimum')}</Tag>}
      {c.isLegacy && <Tag color="gray.8" variant="outline">{t('contract.badge.legacy')}</Tag>}
      {c.registeredLate && <Tag color="#a84300" variant="outline">{t('contract.badge.lateRegistered')}</Tag>}
    </Group>
  );
}

export function StatusBadge({ status }: { status: TContractSummary['status'] }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOUR[status]} variant={status === 'active' ? 'filled' : 'outline'} data-testid="contract-status">{t(`contract.status.${status}`)}</Tag>;
}

/** Contracts in the caller's scope (an agency sees its own, read-only), paged, filtered and sorted on the server. */
export function ContractsPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data: me } = useMe();
  const isAgency = activeAssignment(me)?.scopeKind === 'agency';
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [status, setStatus] = useState<string>('all');
  const [flag, setFlag] = useState<TFlag>('all');
  const [sort, setSort] = useState<TSort>('createdAt');
  const [dir, setDir] = useState<'asc' | 'desc'>('desc');
  const [page, setPage] = useState(1);
  const filters = {
    q: debouncedQ || undefined,
    status: status === 'all' ? undefined : (status as TListQuery['status']),
    belowMinimumWage: flag === 'belowMinimumWage' ? ('true' as const) : undefined,
    legacy: flag === 'legacy' ? ('true' as const) : undefined,
    late: flag === 'late' ? ('true' as const) : undefined,
    sort,
    dir,
  };
  const { data, error, isFetching } = useContracts({ ...filters, page, pageSize: 25 });

  const sortBy = (col: TSort) => {
    if (sort === col) setDir((d) => (d === 'asc' ? 'desc' : 'asc'));
    else {
      setSort(col);
      setDir(col === 'contractNo' ? 'asc' : 'desc');
    }
    setPage(1);
  };
  const sortTh = (col: TSort, label: string) => (
    <Table.Th aria-sort={sort === col ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton onClick={() => sortBy(col)} fw={700} fz="sm" style={{ textDecoration: 'underline dotted' }}>
        {label} <span aria-hidden="true">{sort === col ? (dir === 'asc' ? '▲' : '▼') : '↕'}</span>
        <VisuallyHidden>{sort === col ? `(${t(dir === 'asc' ? 'contract.list.sortedAsc' : 'contract.list.sortedDesc')})` : ''}</VisuallyHidden>
      </UnstyledButton>
    </Table.Th>
  );
  const exportQs = (format: 'csv' | 'xlsx') => qs({ format, ...filters });

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('contract.title')} />
      {isAgency && <Alert color="blue" mb="sm">{t('contract.agencyView')}</Alert>}
      <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            w={340}
            type="search"
            label={t('common.search')}
            placeholder={t('contract.list.search')}
            value={q}
            onChange={(e) => {
              setQ(e.currentTarget.value);
              setPage(1);
            }}
          />
          <Select
            w={180}
            label={t('contract.list.statusFilter')}
            value={status}
            allowDeselect={false}
            data={[{ value: 'all', label: t('contract.list.all') }, ...(['draft', 'active', 'expired', 'terminated'] as const).map((s) => ({ value: s, label: t(`contract.status.${s}`) }))]}
            onChange={(v) => {
              setStatus(v ?? 'all');
              setPage(1);
            }}
          />
          <Select
            w={260}
            label={t('contract.list.flagFilter')}
            value={flag}
            allowDeselect={false}
            data={[
              { value: 'all', label: t('contract.list.flagAll') },
              { value: 'belowMinimumWage', label: t('contract.list.flagBelowMinimum') },
              { value: 'legacy', label: t('contract.list.flagLegacy') },
              { value: 'late', label: t('contract.badge.lateRegistered') },
            ]}
            onChange={(v) => {
              setFlag((v as TFlag) ?? 'all');
              setPage(1);
            }}
          />
          <SortControls
            sort={sort}
            dir={dir}
            options={[
              { value: 'createdAt', label: t('contract.list.sortCreatedAt') },
              { value: 'contractDate', label: t('contract.list.sortContractDate') },
              { value: 'contractNo', label: t('contract.list.sortContractNo') },
              { value: 'endDate', label: t('contract.list.sortEndDate') },
            ]}
            onChange={(s, d) => {
              setSort(s as TSort);
              setDir(d);
              setPage(1);
            }}
          />
        </Group>
        <Group>
          <Anchor href={`${BASE}/export${exportQs('xlsx')}`} download>{t('common.exportExcel')}</Anchor>
          <Anchor href={`${BASE}/export${exportQs('csv')}`} download>{t('common.exportCsv')}</Anchor>
          {can(me, 'contract.manage') && <Button component={Link} to="/contracts/new">{t('contract.list.registerButton')}</Button>}
        </Group>
      </Group>
      {error && <Alert color="red" role="alert" mb="sm">{error.message}</Alert>}
      <Table.ScrollContainer minWidth={1100}>
        <Table withTableBorder striped highlightOnHover aria-busy={isFetching}>
          <caption style={{ captionSide: 'top', textAlign: 'left', fontWeight: 600, paddingBottom: 8 }}>{t('contract.list.caption')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.sno')}</Table.Th>
              {sortTh('contractNo', t('contract.field.contractNo'))}
              {sortTh('contractDate', t('contract.field.contractDate'))}
              <Table.Th>{t('contract.field.agency')}</Table.Th>
              <Table.Th>{t('contract.field.office')}</Table.Th>
              {sortTh('endDate', t('contract.field.period'))}
              <Table.Th style={{ textAlign: 'right' }}>{t('contract.list.positions')}</Table.Th>
              <Table.Th>{t('contract.field.status')}</Table.Th>
              <Table.Th>{t('contract.list.flags')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={10}><Text ta="center" size="sm">{t('common.noData')}</Text></Table.Td>
              </Table.Tr>
            )}
            {!data && (
              <Table.Tr>
                <Table.Td colSpan={10}><Text ta="center" size="sm">{t('common.loading')}</Text></Table.Td>
              </Table.Tr>
            )}
            {data?.items.map((c, i) => (
              <Table.Tr key={c.id}>
                <Table.Td>{formatInt((data.page - 1) * data.pageSize + i + 1)}</Table.Td>
                <Table.Td>
                  <Stack gap={0}>
                    <Text size="sm" fw={600}>{c.contractNo}</Text>
                    {c.gemContractNo && <Text size="xs" c="dark.6">{c.gemContractNo}</Text>}
                  </Stack>
                </Table.Td>
                <Table.Td>{formatDate(c.contractDate)}</Table.Td>
                <Table.Td>{c.agencyName}</Table.Td>
                <Table.Td>{name(c.officeNameEn, c.officeNameHi)} ({c.officeId})</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{c.startDate && c.endDate ? `${formatDate(c.startDate)} – ${formatDate(c.endDate)}` : '—'}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{formatInt(c.totalPositions)}</Table.Td>
                <Table.Td><StatusBadge status={c.status} /></Table.Td>
                <Table.Td><ContractBadges c={c} /></Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/contracts/${c.id}`} aria-label={t('contract.list.open', { contractNo: c.contractNo })}>
                    {t('contract.list.view')}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {data && <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} label={t('contract.list.caption')} />}
    </Paper>
  );
}
