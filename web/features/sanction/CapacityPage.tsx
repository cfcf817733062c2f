import { Alert, Group, Paper, Select, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { formatInt, useCapacity, useHodOffices, useOptions } from './api.ts';
import { Pager } from '../../ui/Pager.tsx';
import { useBilingual } from '../../lib/bilingual.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

/** For every (office, skill level, post name): sanctioned, covered, deployed and vacant posts. */
export function CapacityPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data: options } = useOptions();
  const [hodId, setHodId] = useState<string | null>(null);
  const [officeId, setOfficeId] = useState<string | null>(null);
  const [skillLevelId, setSkillLevelId] = useState<string | null>(null);
  const [postNameId, setPostNameId] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const { data: offices } = useHodOffices(hodId ? Number(hodId) : null);
  const { data, error, isFetching } = useCapacity({
    hodId: hodId ? Number(hodId) : undefined,
    officeId: officeId ? Number(officeId) : undefined,
    skillLevelId: skillLevelId ? Number(skillLevelId) : undefined,
    postNameId: postNameId ? Number(postNameId) : undefined,
    page,
    pageSize: 25,
  });
  const num = (n: number) => <Table.Td style={{ textAlign: 'right' }}>{formatInt(n)}</Table.Td>;
  return (
    <Paper withBorder p="lg" className="roams-sanction">
      <PageTitle title={t('sanction.capacity.title')} />
      <Text size="sm" mb="sm">
        {t('sanction.capacity.note')}
      </Text>
      <Group align="flex-end" mb="md" wrap="wrap">
        <Select
          w={420}
          label={t('sanction.capacity.hod')}
          placeholder={t('sanction.capacity.allHods')}
          searchable
          clearable
          value={hodId}
          onChange={(v) => {
            setHodId(v);
            setOfficeId(null);
            setPage(1);
          }}
          data={(options?.hods ?? []).map((h) => ({ value: String(h.id), label: name(h.nameEn, h.nameHi) }))}
        />
        <Select
          w={420}
          label={t('sanction.capacity.office')}
          placeholder={t('sanction.capacity.allOffices')}
          searchable
          clearable
          disabled={!hodId}
          value={officeId}
          onChange={(v) => {
            setOfficeId(v);
            setPage(1);
          }}
          data={(offices ?? []).map((o) => ({ value: String(o.id), label: `${name(o.nameEn, o.nameHi)} (${o.id})` }))}
        />
        <Select
          w={200}
          label={t('sanction.capacity.skillLevel')}
          placeholder={t('sanction.list.all')}
          clearable
          value={skillLevelId}
          onChange={(v) => {
            setSkillLevelId(v);
            setPage(1);
          }}
          data={(options?.skillLevels ?? []).map((o) => ({ value: String(o.id), label: name(o.nameEn, o.nameHi) }))}
        />
        <Select
          w={260}
          label={t('sanction.capacity.postName')}
          placeholder={t('sanction.list.all')}
          searchable
          clearable
          value={postNameId}
          onChange={(v) => {
            setPostNameId(v);
            setPage(1);
          }}
          data={(options?.postNames ?? []).map((o) => ({ value: String(o.id), label: name(o.nameEn, o.nameHi) }))}
        />
      </Group>
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error.message}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={900}>
        <Table withTableBorder striped aria-busy={isFetching}>
          <TableCaption>{t('sanction.capacity.caption')}</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.sno')}</Table.Th>
              <Table.Th>{t('sanction.capacity.officeId')}</Table.Th>
              <Table.Th>{t('sanction.capacity.office')}</Table.Th>
              <Table.Th>{t('sanction.capacity.skillLevel')}</Table.Th>
              <Table.Th>{t('sanction.capacity.postName')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('sanction.capacity.sanctioned')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('sanction.capacity.covered')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('sanction.capacity.deployed')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('sanction.capacity.vacant')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!data && (
              <Table.Tr>
                <Table.Td colSpan={9}>
                  <Text ta="center" size="sm">
                    {t('common.loading')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {data?.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={9}>
                  <Text ta="center" size="sm">
                    {t('common.noData')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {data?.items.map((r, i) => (
              <Table.Tr key={`${r.officeId}-${r.skillLevelId}-${r.postNameId}`}>
                <Table.Td>{formatInt((data.page - 1) * data.pageSize + i + 1)}</Table.Td>
                <Table.Td>{r.officeId}</Table.Td>
                <Table.Td>{name(r.officeNameEn, r.officeNameHi)}</Table.Td>
                <Table.Td>{name(r.skillLevelNameEn, r.skillLevelNameHi)}</Table.Td>
                <Table.Td>{name(r.postNameEn, r.postNameHi)}</Table.Td>
                {num(r.sanctioned)}
                {num(r.covered)}
                {num(r.deployed)}
                {num(r.vacant)}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {data && <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} label={t('sanction.capacity.caption')} />}
    </Paper>
  );
}
