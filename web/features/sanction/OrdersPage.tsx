import { Anchor, Button, Paper, Select, Table, Text, TextInput } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';
import { qs } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { can, useMe } from '../../lib/session.ts';
import { ExportLinks, ListPage, SortTh, serialNo, useListState } from '../../ui/ListPage.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { SortControls } from '../../ui/SortControls.tsx';
import { BASE, formatInt, type TOrderListQuery, useOrders } from './api.ts';

type TSort = TOrderListQuery['sort'];
type TLocked = 'all' | 'true' | 'false';

const PAGE_SIZE = 25;

/** Manual section 8: the saved sanction orders, with search, filter, sort, paging and export. */
export function OrdersPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data: me } = useMe();
  const list = useListState<TSort>({ sort: 'createdAt', dir: 'desc', firstDir: (col) => (col === 'orderNo' ? 'asc' : 'desc') });
  const [locked, setLocked] = useState<TLocked>('all');
  const filters = { q: list.search, locked: locked === 'all' ? undefined : locked, sort: list.sort, dir: list.dir };
  const orders = useOrders({ ...filters, page: list.page, pageSize: PAGE_SIZE });
  const { data } = orders;
  const sortTh = (col: TSort, label: string) => <SortTh label={label} dir={list.sort === col ? list.dir : null} onSort={() => list.sortBy(col)} />;

  return (
    <Paper withBorder p="lg" className="roams-sanction">
      <PageTitle title={t('sanction.title')} />
      <ListPage
        filters={
          <>
            <TextInput
              w={340}
              type="search"
              label={t('common.search')}
              placeholder={t('sanction.list.search')}
              value={list.q}
              onChange={(e) => list.setQ(e.currentTarget.value)}
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
              onChange={(v) => list.filter(setLocked)((v as TLocked) ?? 'all')}
            />
            <SortControls
              width={220}
              sort={list.sort}
              dir={list.dir}
              options={[
                { value: 'createdAt', label: t('sanction.list.sortCreatedAt') },
                { value: 'orderDate', label: t('sanction.list.sortOrderDate') },
                { value: 'orderNo', label: t('sanction.list.sortOrderNo') },
              ]}
              onChange={list.setSorting}
            />
          </>
        }
        actions={
          <>
            <ExportLinks href={(format) => `${BASE}/export${qs({ format, ...filters })}`} />
            {can(me, 'sanction.manage') && (
              <Button component={Link} to="/sanction-orders/new">
                {t('sanction.list.createButton')}
              </Button>
            )}
          </>
        }
        error={orders.error?.message}
        caption={t('sanction.list.caption')}
        minWidth={900}
        head={
          <>
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
          </>
        }
        columns={10}
        result={orders}
        paging={{ page: list.page, pageSize: PAGE_SIZE, onPage: list.setPage, label: t('sanction.list.caption') }}
      >
        {data?.items.map((o, i) => (
          <Table.Tr key={o.id}>
            <Table.Td>{formatInt(serialNo(data, i))}</Table.Td>
            <Table.Td>{o.orderNo}</Table.Td>
            <Table.Td>{formatDate(o.orderDate)}</Table.Td>
            <Table.Td>{o.issuingOfficerName}</Table.Td>
            <Table.Td>{o.issuingOfficerDesignation}</Table.Td>
            <Table.Td>{name(o.departmentNameEn, o.departmentNameHi)}</Table.Td>
            <Table.Td>
              {formatInt(o.postCount)} / {formatInt(o.totalPosts)}
            </Table.Td>
            <Table.Td>
              <Text span fw={700} fz="sm">
                {t(o.locked ? 'common.yes' : 'common.no')}
              </Text>
            </Table.Td>
            <Table.Td>
              {t(`sanction.kind.${o.kind}`)}
              {o.refOrderNo ? ` (${o.refOrderNo})` : ''}
            </Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/sanction-orders/${o.id}`} aria-label={t('sanction.list.open', { orderNo: o.orderNo })}>
                {t('sanction.list.view')}
              </Anchor>
            </Table.Td>
          </Table.Tr>
        ))}
      </ListPage>
    </Paper>
  );
}
