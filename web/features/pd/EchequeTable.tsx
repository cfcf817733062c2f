import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { Tag } from '../contract/Tag.tsx';
import { money, type TEcheque } from './api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

const right = { textAlign: 'right' } as const;
const STATE_COLOR = { prepared: 'blue.9', passed: '#1b6e2e', returned: 'red.9', in_efile: 'blue.9', discharged: '#1b6e2e', failed: 'red.9' } as const;

export function EchequeState({ state }: { state: TEcheque['state'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOR[state]} variant={state === 'passed' ? 'filled' : 'outline'}>
      {t(`pd.state.${state}`)}
    </Tag>
  );
}

/** E-cheques with their payee, line, amount and state; `actions` adds a last column (the treasury's pass / return). */
export function EchequeTable({
  items,
  caption,
  actions,
  showAccount,
}: {
  items: TEcheque[];
  caption: string;
  actions?: (e: TEcheque) => ReactNode;
  showAccount?: boolean;
}) {
  const { t } = useTranslation();
  const name = useBilingual();
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table withTableBorder striped data-testid="pd-echeques">
        <TableCaption>{caption}</TableCaption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('pd.col.echequeNo')}</Table.Th>
            {showAccount && <Table.Th>{t('pd.col.accountNo')}</Table.Th>}
            <Table.Th>{t('pd.col.line')}</Table.Th>
            <Table.Th>{t('pd.col.payee')}</Table.Th>
            <Table.Th style={right}>{t('pd.col.amount')}</Table.Th>
            <Table.Th>{t('pd.col.preparedAt')}</Table.Th>
            <Table.Th>{t('pd.col.state')}</Table.Th>
            {actions && <Table.Th>{t('pd.col.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={8}>
                <Text size="sm">{t('pd.noEcheques')}</Text>
              </Table.Td>
            </Table.Tr>
          )}
          {items.map((e) => (
            <Table.Tr key={e.id} data-testid={`echeque-${e.id}`}>
              <Table.Td>{e.id}</Table.Td>
              {showAccount && <Table.Td>{e.accountNo}</Table.Td>}
              <Table.Td>{name(e.linePurposeEn, e.linePurposeHi)}</Table.Td>
              <Table.Td>
                {e.payeeName}
                <Text size="xs" c="dark.6">
                  {e.payeeKind === 'vendor' ? `${e.payeeAccountNo} · ${e.payeeIfsc}` : t('pd.btTo', { head: e.headOfAccount })}
                </Text>
              </Table.Td>
              <Table.Td style={right}>{money(e.amountPaise)}</Table.Td>
              <Table.Td>{formatDateTimeIst(e.preparedAt)}</Table.Td>
              <Table.Td>
                <EchequeState state={e.state} />
                {e.adviceNo && (
                  <Text size="xs" c="dark.6">
                    {t('pd.inAdvice', { no: e.adviceNo })}
                  </Text>
                )}
                {e.returnReason && (
                  <Text size="xs" c="dark.6">
                    {e.returnReason}
                  </Text>
                )}
              </Table.Td>
              {actions && <Table.Td>{actions(e)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
