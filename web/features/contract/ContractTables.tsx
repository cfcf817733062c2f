import { Stack, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { formatInt } from '../../ui/format.ts';
import { money, type TContract, type TContractVersion } from './api.ts';
import { DocLink } from './ContractDetails.tsx';
import { Tag } from './Tag.tsx';
import { TableCaption } from '../../ui/TableCaption.tsx';

const right = { textAlign: 'right' } as const;

/** The posts of one version with their wages, the ones below a revised minimum wage marked; totals at the foot. */
export function PostsTable({ v, flagged }: { v: TContractVersion; flagged: Set<number> }) {
  const { t } = useTranslation();
  const name = useBilingual();
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table withTableBorder striped mb="md" data-testid="contract-posts">
        <TableCaption>{t('contract.detail.postsCaption', { version: v.versionNo })}</TableCaption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('contract.post.office')}</Table.Th>
            <Table.Th>{t('contract.post.skillLevel')}</Table.Th>
            <Table.Th>{t('contract.post.postName')}</Table.Th>
            <Table.Th style={right}>{t('contract.post.positions')}</Table.Th>
            <Table.Th style={right}>{t('contract.post.basic')}</Table.Th>
            <Table.Th style={right}>{t('contract.post.vda')}</Table.Th>
            <Table.Th style={right}>{t('contract.post.wage')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {v.posts.map((p, i) => (
            <Table.Tr key={p.id}>
              <Table.Td>{formatInt(i + 1)}</Table.Td>
              <Table.Td>
                {name(p.officeNameEn, p.officeNameHi)} ({p.officeId})
              </Table.Td>
              <Table.Td>{name(p.skillLevelNameEn, p.skillLevelNameHi)}</Table.Td>
              <Table.Td>{name(p.postNameEn, p.postNameHi)}</Table.Td>
              <Table.Td style={right}>{formatInt(p.positions)}</Table.Td>
              <Table.Td style={right}>{money(p.basicPaise)}</Table.Td>
              <Table.Td style={right}>{money(p.vdaPaise)}</Table.Td>
              <Table.Td style={right}>
                {money(p.totalPaise)}
                {flagged.has(p.id) && (
                  <Tag ml={6} color="red.9" variant="outline">
                    {t('contract.badge.belowMinimum')}
                  </Tag>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th colSpan={4} scope="row">
              {t('contract.detail.totalPositions')}
            </Table.Th>
            <Table.Td style={right} fw={700}>
              {formatInt(v.totalPositions)}
            </Table.Td>
            <Table.Th colSpan={2} scope="row" style={right}>
              {t('contract.detail.monthlyBill')}
            </Table.Th>
            <Table.Td style={right} fw={700}>
              {money(v.posts.reduce((s, p) => s + p.positions * p.totalPaise, 0))}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Every version of the contract: kind, state, period, positions, when made or activated, its document. */
export function VersionsTable({ c }: { c: TContract }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" mt="lg">
      <Title order={3}>{t('contract.detail.history')}</Title>
      <Table.ScrollContainer minWidth={900}>
        <Table withTableBorder striped data-testid="contract-versions">
          <TableCaption plain>{t('contract.detail.historyCaption')}</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('contract.field.version')}</Table.Th>
              <Table.Th>{t('contract.detail.versionKind')}</Table.Th>
              <Table.Th>{t('contract.field.status')}</Table.Th>
              <Table.Th>{t('contract.field.period')}</Table.Th>
              <Table.Th style={right}>{t('contract.detail.totalPositions')}</Table.Th>
              <Table.Th>{t('contract.detail.versionDate')}</Table.Th>
              <Table.Th>{t('contract.detail.document')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.versions.map((v) => (
              <Table.Tr key={v.id}>
                <Table.Td>{v.versionNo}</Table.Td>
                <Table.Td>{t(`contract.versionKind.${v.kind}`)}</Table.Td>
                <Table.Td>
                  <Tag color={v.state === 'in_force' ? '#1b6e2e' : 'gray.8'} variant={v.state === 'in_force' ? 'filled' : 'outline'}>
                    {t(`contract.versionState.${v.state}`)}
                  </Tag>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {formatDate(v.startDate)} – {formatDate(v.endDate)}
                </Table.Td>
                <Table.Td style={right}>{formatInt(v.totalPositions)}</Table.Td>
                <Table.Td>{formatDateTimeIst(v.activatedAt ?? v.createdAt)}</Table.Td>
                <Table.Td>
                  <DocLink contractId={c.id} v={v} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
