import { Anchor, Button, Group, Paper, Select, Table, TextInput } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AGENCY_STATUSES } from '../../../shared/contracts/agency.ts';
import { formatDate } from '../../../shared/domain/dates.ts';
import { can, useMe } from '../../lib/session.ts';
import { formatInt } from '../../ui/format.ts';
import { ListPage, serialNo, useListState } from '../../ui/ListPage.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { SortControls } from '../../ui/SortControls.tsx';
import { type TAgencyQuery, type TAgencyStatus, useAgencies, useDistricts } from './api.ts';
import { LicenceBadge, StatusBadge } from './ParticularsForm.tsx';

const PAGE_SIZE = 25;

/** Agencies: searched, filtered, sorted and paged on the server; each row with its status and licence alert. */
export function AgenciesPage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const { data: districts } = useDistricts();
  const list = useListState<TAgencyQuery['sort']>({ sort: 'legalName', dir: 'asc' });
  const [status, setStatus] = useState<string>('all');
  const [licence, setLicence] = useState<string>('all');
  const [districtId, setDistrictId] = useState<string | null>(null);
  const query: TAgencyQuery = {
    q: list.search,
    status: status === 'all' ? undefined : (status as TAgencyStatus),
    licence: licence === 'alert' ? 'alert' : undefined,
    districtId: districtId ? Number(districtId) : undefined,
    page: list.page,
    pageSize: PAGE_SIZE,
    sort: list.sort,
    dir: list.dir,
  };
  const agencies = useAgencies(query);
  const { data } = agencies;

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('agency.list.title')} />
      <ListPage
        filters={
          <>
            <TextInput
              w={280}
              type="search"
              label={t('common.search')}
              placeholder={t('agency.list.search')}
              value={list.q}
              onChange={(e) => list.setQ(e.currentTarget.value)}
            />
            <Select
              w={170}
              label={t('agency.field.status')}
              value={status}
              allowDeselect={false}
              data={[{ value: 'all', label: t('agency.list.all') }, ...AGENCY_STATUSES.map((s) => ({ value: s, label: t(`agency.status.${s}`) }))]}
              onChange={(v) => list.filter(setStatus)(v ?? 'all')}
            />
            <Select
              w={200}
              label={t('agency.list.licenceFilter')}
              value={licence}
              allowDeselect={false}
              data={[
                { value: 'all', label: t('agency.list.all') },
                { value: 'alert', label: t('agency.list.licenceAlert') },
              ]}
              onChange={(v) => list.filter(setLicence)(v ?? 'all')}
            />
            <Select
              w={200}
              label={t('agency.field.districtId')}
              value={districtId}
              clearable
              searchable
              data={(districts?.items ?? []).map((d) => ({ value: String(d.id), label: i18n.language === 'hi' ? d.nameHi : d.nameEn }))}
              onChange={list.filter(setDistrictId)}
            />
            <SortControls
              sort={list.sort}
              dir={list.dir}
              options={(['legalName', 'createdAt', 'licenceValidTo', 'status'] as const).map((s) => ({ value: s, label: t(`agency.list.sort.${s}`) }))}
              onChange={list.setSorting}
            />
          </>
        }
        actions={
          can(me, 'agency.register') && (
            <Button component={Link} to="/agencies/new">
              {t('agency.register.title')}
            </Button>
          )
        }
        error={agencies.error?.message}
        caption={t('agency.list.caption')}
        minWidth={900}
        head={
          <>
            <Table.Th>{t('common.sno')}</Table.Th>
            <Table.Th>{t('agency.field.legalName')}</Table.Th>
            <Table.Th>{t('agency.field.type')}</Table.Th>
            <Table.Th>{t('agency.field.pan')}</Table.Th>
            <Table.Th>{t('agency.field.districtId')}</Table.Th>
            <Table.Th>{t('agency.field.status')}</Table.Th>
            <Table.Th>{t('agency.field.licenceValidTo')}</Table.Th>
          </>
        }
        columns={7}
        result={agencies}
        paging={{ page: list.page, pageSize: PAGE_SIZE, onPage: list.setPage, label: t('agency.list.pager') }}
      >
        {data?.items.map((a, i) => (
          <Table.Tr key={a.id}>
            <Table.Td>{formatInt(serialNo(data, i))}</Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/agencies/${a.id}`}>
                {a.legalName}
              </Anchor>
            </Table.Td>
            <Table.Td>{t(`agency.type.${a.type}`)}</Table.Td>
            <Table.Td>{a.pan}</Table.Td>
            <Table.Td>{i18n.language === 'hi' ? a.districtNameHi : a.districtNameEn}</Table.Td>
            <Table.Td>
              <StatusBadge status={a.status} />
            </Table.Td>
            <Table.Td>
              <Group gap="xs">
                <span>{formatDate(a.licenceValidTo)}</span>
                <LicenceBadge alert={a.licenceAlert} />
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </ListPage>
    </Paper>
  );
}
