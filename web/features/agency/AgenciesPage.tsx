import { SortControls } from '../../ui/SortControls.tsx';
import { Alert, Anchor, Button, Group, Paper, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AGENCY_STATUSES } from '../../../shared/contracts/agency.ts';
import { formatDate } from '../../../shared/domain/dates.ts';
import { can, useMe } from '../../lib/session.ts';
import { formatInt } from '../../ui/format.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { type TAgencyQuery, type TAgencyStatus, useAgencies, useDistricts } from './api.ts';
import { LicenceBadge, StatusBadge } from './ParticularsForm.tsx';

/** Agencies: searched, filtered, sorted and paged on the server; each row with its status and licence alert. */
export function AgenciesPage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const { data: districts } = useDistricts();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [status, setStatus] = useState<string>('all');
  const [licence, setLicence] = useState<string>('all');
  const [districtId, setDistrictId] = useState<string | null>(null);
  const [sort, setSort] = useState<TAgencyQuery['sort']>('legalName');
  const [dir, setDir] = useState<'asc' | 'desc'>('asc');
  const [page, setPage] = useState(1);
  const query: TAgencyQuery = {
    q: debouncedQ || undefined,
    status: status === 'all' ? undefined : (status as TAgencyStatus),
    licence: licence === 'alert' ? 'alert' : undefined,
    districtId: districtId ? Number(districtId) : undefined,
    page,
    pageSize: 25,
    sort,
    dir,
  };
  const { data, error, isFetching } = useAgencies(query);
  const reset = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPage(1);
  };

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('agency.list.title')} />
      <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
        <Group align="flex-end" wrap="wrap">
          <TextInput w={280} type="search" label={t('common.search')} placeholder={t('agency.list.search')} value={q} onChange={(e) => reset(setQ)(e.currentTarget.value)} />
          <Select w={170} label={t('agency.field.status')} value={status} allowDeselect={false} data={[{ value: 'all', label: t('agency.list.all') }, ...AGENCY_STATUSES.map((s) => ({ value: s, label: t(`agency.status.${s}`) }))]} onChange={(v) => reset(setStatus)(v ?? 'all')} />
          <Select w={200} label={t('agency.list.licenceFilter')} value={licence} allowDeselect={false} data={[{ value: 'all', label: t('agency.list.all') }, { value: 'alert', label: t('agency.list.licenceAlert') }]} onChange={(v) => reset(setLicence)(v ?? 'all')} />
          <Select w={200} label={t('agency.field.districtId')} value={districtId} clearable searchable data={(districts?.items ?? []).map((d) => ({ value: String(d.id), label: i18n.language === 'hi' ? d.nameHi : d.nameEn }))} onChange={reset(setDistrictId)} />
          <SortControls
            sort={sort}
            dir={dir}
            options={(['legalName', 'createdAt', 'licenceValidTo', 'status'] as const).map((s) => ({ value: s, label: t(`agency.list.sort.${s}`) }))}
            onChange={(s, d) => {
              reset(setSort)(s);
              setDir(d);
            }}
          />
        </Group>
        {can(me, 'agency.register') && <Button component={Link} to="/agencies/new">{t('agency.register.title')}</Button>}
      </Group>
      {error && <Alert color="red" role="alert" mb="sm">{error.message}</Alert>}
      <Table.ScrollContainer minWidth={900}>
        <Table withTableBorder striped highlightOnHover aria-busy={isFetching}>
          <caption style={{ captionSide: 'top', textAlign: 'left', fontWeight: 600, paddingBottom: 8 }}>{t('agency.list.caption')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.sno')}</Table.Th>
              <Table.Th>{t('agency.field.legalName')}</Table.Th>
              <Table.Th>{t('agency.field.type')}</Table.Th>
              <Table.Th>{t('agency.field.pan')}</Table.Th>
              <Table.Th>{t('agency.field.districtId')}</Table.Th>
              <Table.Th>{t('agency.field.status')}</Table.Th>
              <Table.Th>{t('agency.field.licenceValidTo')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={7}><Text ta="center" size="sm">{t('common.noData')}</Text></Table.Td>
              </Table.Tr>
            )}
            {data?.items.map((a, i) => (
              <Table.Tr key={a.id}>
                <Table.Td>{formatInt((data.page - 1) * data.pageSize + i + 1)}</Table.Td>
                <Table.Td><Anchor component={Link} to={`/agencies/${a.id}`}>{a.legalName}</Anchor></Table.Td>
                <Table.Td>{t(`agency.type.${a.type}`)}</Table.Td>
                <Table.Td>{a.pan}</Table.Td>
                <Table.Td>{i18n.language === 'hi' ? a.districtNameHi : a.districtNameEn}</Table.Td>
                <Table.Td><StatusBadge status={a.status} /></Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <span>{formatDate(a.licenceValidTo)}</span>
                    <LicenceBadge alert={a.licenceAlert} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {data && <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} label={t('agency.list.pager')} />}
    </Paper>
  );
}
