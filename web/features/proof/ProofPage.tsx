import { Alert, Anchor, Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { money, monthName, PROOF_BASE, useProof } from './api.ts';

const right = { textAlign: 'right' } as const;

/** One proof: the challans, what the ECR held, and every difference per worker. */
export function ProofPage() {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  const id = Number((useParams({ strict: false }) as { id?: string }).id);
  const { data: p, error } = useProof(id);
  const title = p ? t('proof.detail.title', { month: monthName(p.month, i18n.language), version: p.version }) : t('proof.title');
  return (
    <Stack gap="md">
      <PageTitle title={title} crumbs={[{ label: t('proof.title'), to: '/proofs' }]} />
      {error && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      {p && (
        <>
          <Paper withBorder p="lg">
            <Group mb="sm">
              <Badge color={p.status === 'reconciled' ? '#1b6e2e' : 'red.9'} variant="filled" size="lg" data-testid="proof-status">
                {t(`proof.status.${p.status}`)}
              </Badge>
              {!p.current && <Text size="sm">{t('proof.detail.replaced')}</Text>}
            </Group>
            <Table withTableBorder variant="vertical" data-testid="proof-facts">
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th w={280}>{t('proof.col.agency')}</Table.Th>
                  <Table.Td>{p.agencyName}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('proof.form.trrn')}</Table.Th>
                  <Table.Td>{p.trrn}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('proof.form.paymentDate')}</Table.Th>
                  <Table.Td>{formatDate(p.paymentDate)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('proof.form.esicChallanNo')}</Table.Th>
                  <Table.Td>
                    {p.esicChallanNo} — {formatDate(p.esicChallanDate)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('proof.detail.esic')}</Table.Th>
                  <Table.Td>{t('proof.detail.esicFigures', { paid: money(p.esicAmountPaise), billed: money(p.billedEsicPaise) })}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('proof.detail.members')}</Table.Th>
                  <Table.Td>{t('proof.detail.membersFigures', { members: p.members, billed: p.billedResources })}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('proof.detail.file')}</Table.Th>
                  <Table.Td>
                    <Anchor href={`${PROOF_BASE}/${p.id}/ecr`} download>
                      {p.ecrFileName}
                    </Anchor>{' '}
                    — {formatDateTimeIst(p.uploadedAt)}
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Paper>
          <Paper withBorder p="lg">
            <Title order={2} size="h4" mb="sm">
              {t('proof.detail.differences')}
            </Title>
            {p.differenceList.length === 0 ? (
              <Text size="sm" data-testid="proof-no-differences">
                {t('proof.detail.noDifferences')}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={700}>
                <Table withTableBorder striped data-testid="proof-differences">
                  <Table.Caption>{t('proof.detail.differencesCaption')}</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('proof.diff.worker')}</Table.Th>
                      <Table.Th>{t('proof.diff.uan')}</Table.Th>
                      <Table.Th>{t('proof.diff.kind')}</Table.Th>
                      <Table.Th style={right}>{t('proof.diff.billed')}</Table.Th>
                      <Table.Th style={right}>{t('proof.diff.found')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {p.differenceList.map((d) => (
                      <Table.Tr key={`${d.kind}-${d.resourceId ?? 'esic'}`}>
                        <Table.Td>{d.resourceId === null ? t('proof.diff.esicChallan') : name(d.nameEn, d.nameHi)}</Table.Td>
                        <Table.Td>{d.uan || '—'}</Table.Td>
                        <Table.Td>{t(`proof.kind.${d.kind}`)}</Table.Td>
                        <Table.Td style={right}>{money(d.billedPaise)}</Table.Td>
                        <Table.Td style={right}>{d.foundPaise === null ? '—' : money(d.foundPaise)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
        </>
      )}
    </Stack>
  );
}
