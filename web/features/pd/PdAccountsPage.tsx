import { Alert, Anchor, Paper, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../lib/bilingual.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { money, usePdAccounts } from './api.ts';
import { ClosedBadge } from './ClosedNotice.tsx';

const right = { textAlign: 'right' } as const;

/** The PD accounts the user may see: the administrator its own, the treasury officer its treasury's, Finance all. */
export function PdAccountsPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data, error } = usePdAccounts();
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('pd.title')} />
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error.message}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={800}>
        <Table withTableBorder striped data-testid="pd-accounts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pd.col.accountNo')}</Table.Th>
              <Table.Th>{t('pd.col.name')}</Table.Th>
              <Table.Th>{t('pd.col.source')}</Table.Th>
              <Table.Th>{t('pd.col.treasury')}</Table.Th>
              <Table.Th style={right}>{t('pd.col.available')}</Table.Th>
              <Table.Th style={right}>{t('pd.col.reserved')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!data && !error && (
              <Table.Tr>
                <Table.Td colSpan={6}>{t('common.loading')}</Table.Td>
              </Table.Tr>
            )}
            {data?.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text size="sm">{t('pd.noAccounts')}</Text>
                </Table.Td>
              </Table.Tr>
            )}
            {data?.items.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/pd/accounts/${a.id}`}>
                    {a.accountNo}
                  </Anchor>
                  <ClosedBadge account={a} />
                </Table.Td>
                <Table.Td>{name(a.nameEn, a.nameHi)}</Table.Td>
                <Table.Td>{t(`pd.source.${a.source}`)}</Table.Td>
                <Table.Td>{name(a.treasuryEn, a.treasuryHi)}</Table.Td>
                <Table.Td style={right}>{money(a.availablePaise)}</Table.Td>
                <Table.Td style={right}>{money(a.reservedPaise)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
