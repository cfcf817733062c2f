import { SortControls } from '../../ui/SortControls.tsx';
import { Alert, Anchor, Button, Group, Paper, Select, Table, Text, TextInput, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';
import { qs } from '../../lib/api.ts';
import { can, useMe } from '../../lib/session.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { BASE, formatInt, type TOrderListQuery, useOrders } from './api.ts';
import { Pager } from '../../ui/Pager.tsx';
import { useBilingual } from '../../lib/bilingual.ts';

type TSort = TOrderListQuery['sort'];

/** Manual section 8: the saved sanction orders, with search, filter, sort, paging and export. */
export function OrdersPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data: me } = useMe();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [locked, setLocked] = useState<'all' | 'true' | 'false'>('all');
  const [sort, setSort] = useState<TSort>('createdAt');
  const [dir, setDir] = useState<'asc' | 'desc'>('desc');
  const [page, setPage] = useState(1);
  const query: TOrderListQuery = { q: debouncedQ || undefined, locked: locked === 'all' ? undefined : locked, page, pageSize: 25, sort, dir };
  const { data, error, isFetching } = useOrders(query);
  const filters = { q: query.q, locked: query.locked, sort, dir };

  const sortBy = (col: TSort) => {
    if (sort === col) setDir((d) => (d === 'asc' ? 'desc' : 'asc'));
    else {
      setSort(col);
      setDir(col === 'orderNo' ? 'asc' : 'desc');
    }
    setPage(1);
  };
  const sortTh = (col: TSort, label: string) => (
    <Table.Th aria-sort={sort === col ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton onClick={() => sortBy(col)} fw={700} fz="sm" style={{ textDecoration: 'underline dotted' }}>
        {label} <span aria-hidden="true">{sort === col ? (dir === 'asc' ? '▲' : '▼') : '↕'}</span>
        <VisuallyHidden>{sort === col ? `(${t(dir === 'asc' ? 'sanction.list.sortedAsc' : 'sanction.list.sortedDesc')})` : ''}</VisuallyHidden>
      </UnstyledButton>
    </Table.Th>
  );

  return (
    <Paper withBorder p="lg" className="roams-sanction">
      <PageTitle title={t('sanction.title')} />
      <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            w={340}
            type="search"
            label={t('common.search')}
            placeholder={t('sanction.list.search')}
            value={q}
            onChange={(e) => {
              setQ(e.currentTarget.value);
              setPage(1);
            }}
          />
          <Select
            w={200}
            label={t('sanction.list.lockedFilter')}
            value={locked}
            allowDeselect={false}
            data={[
              { value: 'all', label: t('sanction.list.all') },
              { value: 'true', label: t('sanction.list.lockedOnly') },
              { value: 'false', label: t('sanction.list.unlockedOnly') },
            ]}
            onChange={(v) => {
              setLocked((v as 'all' | 'true' | 'false') ?? 'all');
              setPage(1);
            }}
          />
          <SortControls
            width={220}
            sort={sort}
            dir={dir}
            options={[
              { value: 'createdAt', label: t('sanction.list.sortCreatedAt') },
              { value: 'orderDate', label: t('sanction.list.sortOrderDate') },
              { value: 'orderNo', label: t('sanction.list.sortOrderNo') },
            ]}
            onChange={(s, d) => {
              setSort(s as TSort);
              setDir(d);
              setPage(1);
            }}
          />
        </Group>
        <Group>
          <Anchor href={`${BASE}/export${qs({ format: 'xlsx', ...filters })}`} download>{t('common.exportExcel')}</Anchor>
          <Anchor href={`${BASE}/export${qs({ format: 'csv', ...filters })}`} download>{t('common.exportCsv')}</Anchor>
          {can(me, 'sanction.manage') && (
            <Button component={Link} to="/sanction-orders/new">{t('sanction.list.createButton')}</Button>
          )}
        </Group>
      </Group>
      {error && <Alert color="red" role="alert" mb="sm">{error.message}</Alert>}
      <Table.ScrollContainer minWidth={900}>
        <Table withTableBorder striped highlightOnHover aria-busy={isFetching}>
          <caption style={{ captionSide: 'top', textAlign: 'left', fontWeight: 600, paddingBottom: 8 }}>{t('sanction.list.caption')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.sno')}</Table.Th>
              {sortTh('orderNo', t('sanction.field.orderNo'))}
              {sortTh('orderDate', t('sanction.field.orderDate'))}
              <Table.Th>{t('sanction.field.issuingOfficerName')}</Table.Th>
              <Table.Th>{t('sanction.field.issuingOfficerDesignation')}</Table.Th>
              <Table.Th>{t('sanction.field.department')}</Table.Th>
              <Table.Th>{t('sanction.list.posts')}</Table.Th>
              <Table.Th>{t('sanction.order.isLocked')}</Table.Th>
              <Table.Th>{t('sanction.kind.label')}</Table.Th>
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
            {data?.items.map((o, i) => (
              <Table.Tr key={o.id}>
                <Table.Td>{formatInt((data.page - 1) * data.pageSize + i + 1)}</Table.Td>
                <Table.Td>{o.orderNo}</Table.Td>
                <Table.Td>{formatDate(o.orderDate)}</Table.Td>
                <Table.Td>{o.issuingOfficerName}</Table.Td>
                <Table.Td>{o.issuingOfficerDesignation}</Table.Td>
                <Table.Td>{name(o.departmentNameEn, o.departmentNameHi)}</Table.Td>
                <Table.Td>{formatInt(o.postCount)} / {formatInt(o.totalPosts)}</Table.Td>
                <Table.Td>
                  <Text span fw={700} fz="sm">{t(o.locked ? 'common.yes' : 'common.no')}</Text>
                </Table.Td>
                <Table.Td>{t(`sanction.kind.${o.kind}`)}{o.refOrderNo ? ` (${o.refOrderNo})` : ''}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/sanction-orders/${o.id}`} aria-label={t('sanction.list.open', { orderNo: o.orderNo })}>
                    {t('sanction.list.view')}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {data && <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} label={t('sanction.list.caption')} />}
    </Paper>
  );
}
