import { Alert, Anchor, Button, Group, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';
import { qs } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { activeAssignment, can, useMe } from '../../lib/session.ts';
import { formatInt } from '../../ui/format.ts';
import { ExportLinks, ListPage, SortTh, serialNo, useListState } from '../../ui/ListPage.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { SortControls } from '../../ui/SortControls.tsx';
import { BASE, STATUS_COLOUR, type TContractSummary, type TListQuery, useContracts } from './api.ts';
import { Tag } from './Tag.tsx';

type TSort = TListQuery['sort'];
type TFlag = 'all' | 'belowMinimumWage' | 'legacy' | 'late';

const PAGE_SIZE = 25;

/** The badges a contract carries: its status, a blacklisted / suspended agency, a wage below a revised minimum, legacy, late. */
export function ContractBadges({ c }: { c: TContractSummary }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap">
      {c.agencyStatus === 'blacklisted' && (
        <Tag color="red.9" variant="filled">
          {t('contract.badge.blacklisted')}
        </Tag>
      )}
      {c.agencyStatus === 'suspended' && (
        <Tag color="#a84300" variant="filled">
          {t('contract.badge.suspended')}
        </Tag>
      )}
      {c.belowMinimumWage && (
        <Tag color="red.9" variant="outline">
          {t('contract.badge.belowMinimum')}
        </Tag>
      )}
      {c.isLegacy && (
        <Tag color="gray.8" variant="outline">
          {t('contract.badge.legacy')}
        </Tag>
      )}
      {c.registeredLate && (
        <Tag color="#a84300" variant="outline">
          {t('contract.badge.lateRegistered')}
        </Tag>
      )}
    </Group>
  );
}

export function StatusBadge({ status }: { status: TContractSummary['status'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOUR[status]} variant={status === 'active' ? 'filled' : 'outline'} data-testid="contract-status">
      {t(`contract.status.${status}`)}
    </Tag>
  );
}

/** Contracts in the caller's scope (an agency sees its own, read-only), paged, filtered and sorted on the server. */
export function ContractsPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data: me } = useMe();
  const isAgency = activeAssignment(me)?.scopeKind === 'agency';
  const list = useListState<TSort>({ sort: 'createdAt', dir: 'desc', firstDir: (col) => (col === 'contractNo' ? 'asc' : 'desc') });
  const [status, setStatus] = useState<string>('all');
  const [flag, setFlag] = useState<TFlag>('all');
  const filters = {
    q: list.search,
    status: status === 'all' ? undefined : (status as TListQuery['status']),
    belowMinimumWage: flag === 'belowMinimumWage' ? ('true' as const) : undefined,
    legacy: flag === 'legacy' ? ('true' as const) : undefined,
    late: flag === 'late' ? ('true' as const) : undefined,
    sort: list.sort,
    dir: list.dir,
  };
  const contracts = useContracts({ ...filters, page: list.page, pageSize: PAGE_SIZE });
  const { data } = contracts;
  const sortTh = (col: TSort, label: string) => <SortTh label={label} dir={list.sort === col ? list.dir : null} onSort={() => list.sortBy(col)} />;

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('contract.title')} />
      {isAgency && (
        <Alert color="blue" mb="sm">
          {t('contract.agencyView')}
        </Alert>
      )}
      <ListPage
        filters={
          <>
            <TextInput
              w={340}
              type="search"
              label={t('common.search')}
              placeholder={t('contract.list.search')}
              value={list.q}
              onChange={(e) => list.setQ(e.currentTarget.value)}
            />
            <Select
              w={180}
              label={t('contract.list.statusFilter')}
              value={status}
              allowDeselect={false}
              data={[
                { value: 'all', label: t('contract.list.all') },
                ...(['draft', 'active', 'expired', 'terminated'] as const).map((s) => ({ value: s, label: t(`contract.status.${s}`) })),
              ]}
              onChange={(v) => list.filter(setStatus)(v ?? 'all')}
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
              onChange={(v) => list.filter(setFlag)((v as TFlag) ?? 'all')}
            />
            <SortControls
              sort={list.sort}
              dir={list.dir}
              options={[
                { value: 'createdAt', label: t('contract.list.sortCreatedAt') },
                { value: 'contractDate', label: t('contract.list.sortContractDate') },
                { value: 'contractNo', label: t('contract.list.sortContractNo') },
                { value: 'endDate', label: t('contract.list.sortEndDate') },
              ]}
              onChange={list.setSorting}
            />
          </>
        }
        actions={
          <>
            <ExportLinks href={(format) => `${BASE}/export${qs({ format, ...filters })}`} />
            {can(me, 'contract.manage') && (
              <Button component={Link} to="/contracts/new">
                {t('contract.list.registerButton')}
              </Button>
            )}
          </>
        }
        error={contracts.error?.message}
        caption={t('contract.list.caption')}
        minWidth={1100}
        head={
          <>
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
          </>
        }
        columns={10}
        result={contracts}
        paging={{ page: list.page, pageSize: PAGE_SIZE, onPage: list.setPage, label: t('contract.list.caption') }}
      >
        {data?.items.map((c, i) => (
          <Table.Tr key={c.id}>
            <Table.Td>{formatInt(serialNo(data, i))}</Table.Td>
            <Table.Td>
              <Stack gap={0}>
                <Text size="sm" fw={600}>
                  {c.contractNo}
                </Text>
                {c.gemContractNo && (
                  <Text size="xs" c="dark.6">
                    {c.gemContractNo}
                  </Text>
                )}
              </Stack>
            </Table.Td>
            <Table.Td>{formatDate(c.contractDate)}</Table.Td>
            <Table.Td>{c.agencyName}</Table.Td>
            <Table.Td>
              {name(c.officeNameEn, c.officeNameHi)} ({c.officeId})
            </Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{c.startDate && c.endDate ? `${formatDate(c.startDate)} – ${formatDate(c.endDate)}` : '—'}</Table.Td>
            <Table.Td style={{ textAlign: 'right' }}>{formatInt(c.totalPositions)}</Table.Td>
            <Table.Td>
              <StatusBadge status={c.status} />
            </Table.Td>
            <Table.Td>
              <ContractBadges c={c} />
            </Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/contracts/${c.id}`} aria-label={t('contract.list.open', { contractNo: c.contractNo })}>
                {t('contract.list.view')}
              </Anchor>
            </Table.Td>
          </Table.Tr>
        ))}
      </ListPage>
    </Paper>
  );
}
