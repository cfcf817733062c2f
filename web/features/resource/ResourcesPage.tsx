import { Anchor, Button, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RESOURCE_STATUSES } from '../../../shared/contracts/resource.ts';
import { formatDate } from '../../../shared/domain/dates.ts';
import { qs } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { can, useMe } from '../../lib/session.ts';
import { formatInt } from '../../ui/format.ts';
import { ExportLinks, ListPage, SortTh, serialNo, useListState } from '../../ui/ListPage.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { EsicOverdueNote } from './EsicOverduePage.tsx';
import { Tag } from '../contract/Tag.tsx';
import { BASE, STATUS_COLOUR, type TListQuery, type TResourceSummary, useResourceOptions, useResources } from './api.ts';

type TSort = NonNullable<TListQuery['sort']>;
const PAGE_SIZE = 25;

export function ResourceStatusTag({ status }: { status: TResourceSummary['status'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOUR[status]} variant={status === 'approved' ? 'filled' : 'outline'} data-testid="resource-status">
      {t(`resource.status.${status}`)}
    </Tag>
  );
}

export function KycTag({ status }: { status: TResourceSummary['kycStatus'] }) {
  const { t } = useTranslation();
  const ok = status === 'verified' || status === 'alternative';
  return (
    <Tag color={ok ? '#1b6e2e' : status === 'mismatch' ? 'red.9' : 'gray.8'} variant="outline" data-testid="resource-kyc">
      {t(`resource.kycStatus.${status}`)}
    </Tag>
  );
}

/** Resources in the caller's scope (an agency its own, a department its offices', Finance the state), paged and filtered on the server. */
export function ResourcesPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data: me } = useMe();
  const { data: options } = useResourceOptions();
  const list = useListState<TSort>({ sort: 'createdAt', dir: 'desc', firstDir: (c) => (c === 'name' ? 'asc' : 'desc') });
  const [status, setStatus] = useState('all');
  const [contractId, setContractId] = useState('all');
  const [officeId, setOfficeId] = useState('all');
  const filters: TListQuery = {
    q: list.search,
    status: status === 'all' ? undefined : (status as TListQuery['status']),
    contractId: contractId === 'all' ? undefined : Number(contractId),
    officeId: officeId === 'all' ? undefined : Number(officeId),
    sort: list.sort,
    dir: list.dir,
  };
  const resources = useResources({ ...filters, page: list.page, pageSize: PAGE_SIZE });
  const { data } = resources;
  const offices = new Map<number, string>();
  for (const c of options?.contracts ?? []) for (const p of c.posts) offices.set(p.officeId, `${name(p.officeNameEn, p.officeNameHi)} (${p.officeId})`);
  const sortTh = (col: TSort, label: string) => <SortTh label={label} dir={list.sort === col ? list.dir : null} onSort={() => list.sortBy(col)} />;

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('resource.title')} />
      {can(me, 'resource.events') && <EsicOverdueNote />}
      <ListPage
        filters={
          <>
            <TextInput
              w={300}
              type="search"
              label={t('common.search')}
              placeholder={t('resource.list.search')}
              value={list.q}
              onChange={(e) => list.setQ(e.currentTarget.value)}
            />
            <Select
              w={200}
              label={t('resource.list.statusFilter')}
              value={status}
              allowDeselect={false}
              data={[{ value: 'all', label: t('resource.list.all') }, ...RESOURCE_STATUSES.map((s) => ({ value: s, label: t(`resource.status.${s}`) }))]}
              onChange={(v) => list.filter(setStatus)(v ?? 'all')}
            />
            <Select
              w={220}
              label={t('resource.field.contract')}
              value={contractId}
              allowDeselect={false}
              searchable
              data={[{ value: 'all', label: t('resource.list.all') }, ...(options?.contracts ?? []).map((c) => ({ value: String(c.id), label: c.contractNo }))]}
              onChange={(v) => list.filter(setContractId)(v ?? 'all')}
            />
            <Select
              w={240}
              label={t('resource.field.office')}
              value={officeId}
              allowDeselect={false}
              searchable
              data={[{ value: 'all', label: t('resource.list.all') }, ...[...offices].map(([id, label]) => ({ value: String(id), label }))]}
              onChange={(v) => list.filter(setOfficeId)(v ?? 'all')}
            />
          </>
        }
        actions={
          <>
            <ExportLinks href={(format) => `${BASE}/export${qs({ format, ...filters })}`} />
            {can(me, 'resource.ghosts') && (
              <Button variant="outline" component={Link} to="/resources/ghosts">
                {t('resource.nav.ghosts')}
              </Button>
            )}
            {can(me, 'resource.edit') && (
              <Button variant="outline" component={Link} to="/resources/bulk">
                {t('resource.bulk.nav')}
              </Button>
            )}
            {can(me, 'resource.edit') && (
              <Button component={Link} to="/resources/new">
                {t('resource.list.addButton')}
              </Button>
            )}
          </>
        }
        error={resources.error?.message}
        caption={t('resource.list.caption')}
        minWidth={1100}
        head={
          <>
            <Table.Th>{t('common.sno')}</Table.Th>
            {sortTh('name', t('resource.field.name'))}
            <Table.Th>{t('resource.field.aadhaar')}</Table.Th>
            <Table.Th>{t('resource.field.post')}</Table.Th>
            <Table.Th>{t('resource.field.contract')}</Table.Th>
            <Table.Th>{t('resource.field.agency')}</Table.Th>
            {sortTh('joiningDate', t('resource.field.joiningDate'))}
            <Table.Th>{t('resource.field.status')}</Table.Th>
            <Table.Th>{t('resource.field.kyc')}</Table.Th>
            <Table.Th>{t('common.actions')}</Table.Th>
          </>
        }
        columns={10}
        result={resources}
        paging={{ page: list.page, pageSize: PAGE_SIZE, onPage: list.setPage, label: t('resource.list.caption') }}
      >
        {data?.items.map((r, i) => (
          <Table.Tr key={r.id}>
            <Table.Td>{formatInt(serialNo(data, i))}</Table.Td>
            <Table.Td>
              <Stack gap={0}>
                <Text size="sm" fw={600}>
                  {name(r.nameEn, r.nameHi)}
                </Text>
                <Text size="xs" c="dark.6">
                  {r.mobile}
                </Text>
              </Stack>
            </Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.aadhaarMasked ?? '—'}</Table.Td>
            <Table.Td>
              {name(r.postNameEn, r.postNameHi)} ({name(r.skillLevelNameEn, r.skillLevelNameHi)})
            </Table.Td>
            <Table.Td>{r.contractNo}</Table.Td>
            <Table.Td>{r.agencyName}</Table.Td>
            <Table.Td>{r.joiningDate ? formatDate(r.joiningDate) : '—'}</Table.Td>
            <Table.Td>
              <ResourceStatusTag status={r.status} />
            </Table.Td>
            <Table.Td>
              <KycTag status={r.kycStatus} />
            </Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/resources/${r.id}`} aria-label={t('resource.list.open', { name: name(r.nameEn, r.nameHi) })}>
                {t('resource.list.view')}
              </Anchor>
            </Table.Td>
          </Table.Tr>
        ))}
      </ListPage>
    </Paper>
  );
}
