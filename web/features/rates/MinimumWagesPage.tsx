import { Alert, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { dayRatePaise } from '../../../shared/domain/wages.ts';
import { can, useMe } from '../../lib/session.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { AddRevisionModal } from './AddRevisionModal.tsx';
import { money, type TMinimumWage, useWages, useWageSummary } from './api.ts';
import { Tag } from '../contract/Tag.tsx';
import { useBilingual } from '../../lib/bilingual.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

const right = { textAlign: 'right' } as const;

function StatusBadge({ row }: { row: TMinimumWage }) {
  const { t } = useTranslation();
  if (row.inForceToday)
    return (
      <Tag color="#1b6e2e" variant="filled">
        {t('rates.inForce')}
      </Tag>
    );
  if (row.future)
    return (
      <Tag color="blue.9" variant="outline">
        {t('rates.future')}
      </Tag>
    );
  return (
    <Tag color="gray.8" variant="outline">
      {t('rates.superseded')}
    </Tag>
  );
}

/** Minimum wages per skill level: the rates in force, every revision, and Finance's "Add Revision". */
export function MinimumWagesPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data: me } = useMe();
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const { data: summary, error: summaryError } = useWageSummary();
  const { data: history, error: historyError, isFetching } = useWages({ page, pageSize: 25, sort: 'effectiveFrom', dir: 'desc' });
  const manage = can(me, 'rates.manage');
  // The rates the not-yet-revised skill levels keep using: the oldest latest row among them.
  const latest = summary?.skills.reduce<string | null>(
    (m, s) => (s.stale && s.latest && (!m || s.latest.effectiveFrom < m) ? s.latest.effectiveFrom : m),
    null,
  );
  const error = summaryError ?? historyError;

  const amounts = (r: { basicPaise: number; vdaPaise: number; totalPaise: number }) => (
    <>
      <Table.Td style={right}>{money(r.basicPaise)}</Table.Td>
      <Table.Td style={right}>{money(r.vdaPaise)}</Table.Td>
      <Table.Td style={right} fw={600}>
        {money(r.totalPaise)}
      </Table.Td>
      <Table.Td style={right}>{money(dayRatePaise(r.basicPaise, r.vdaPaise))}</Table.Td>
    </>
  );
  const amountHeads = (
    <>
      <Table.Th style={right}>{t('rates.col.basic')}</Table.Th>
      <Table.Th style={right}>{t('rates.col.vda')}</Table.Th>
      <Table.Th style={right}>{t('rates.col.total')}</Table.Th>
      <Table.Th style={right}>{t('rates.col.perDay')}</Table.Th>
    </>
  );

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('rates.title')} />
      <Text size="sm" mb="md" maw={900}>
        {t('rates.intro')}
      </Text>
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error.message}
        </Alert>
      )}
      {summary?.anyStale && (
        <Alert color="yellow" variant="light" mb="md" title={t('rates.staleWarningTitle')} styles={{ title: { color: '#5c3b00' } }} data-testid="rates-stale">
          <Text size="sm" c="dark.9">
            {t('rates.staleWarning', { date: formatDate(summary.expectedRevisionDate), latest: latest ? formatDate(latest) : '—' })}
          </Text>
        </Alert>
      )}
      {status && (
        <Alert
          color="green"
          role="status"
          mb="sm"
          ref={statusRef}
          tabIndex={-1}
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setStatus(null)}
        >
          {t('rates.add.saved', { date: formatDate(status) })}
        </Alert>
      )}
      {manage && (
        <Group justify="flex-end" mb="sm">
          <Button ref={addRef} onClick={() => setAdding(true)} leftSection={<span aria-hidden="true">+</span>}>
            {t('rates.add.button')}
          </Button>
        </Group>
      )}
      <Table.ScrollContainer minWidth={900}>
        <Table withTableBorder striped data-testid="rates-in-force">
          <TableCaption>{t('rates.inForceCaption', { date: formatDate(summary?.today ?? todayIst()) })}</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('rates.col.skillLevel')}</Table.Th>
              {amountHeads}
              <Table.Th>{t('rates.col.effectiveFrom')}</Table.Th>
              <Table.Th>{t('rates.col.notification')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!summary && (
              <Table.Tr>
                <Table.Td colSpan={7}>
                  <Text ta="center" size="sm">
                    {t('common.loading')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {summary?.skills.map((s) => (
              <Table.Tr key={s.skillLevelId}>
                <Table.Th scope="row" fw={600}>
                  {name(s.skillLevelNameEn, s.skillLevelNameHi)}
                </Table.Th>
                {s.inForce ? (
                  <>
                    {amounts(s.inForce)}
                    <Table.Td>{formatDate(s.inForce.effectiveFrom)}</Table.Td>
                    <Table.Td>{s.inForce.notificationRef || '—'}</Table.Td>
                  </>
                ) : (
                  <Table.Td colSpan={6}>
                    <Text size="sm" c="red.9">
                      {t('rates.none')}
                    </Text>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Stack mt="xl" gap="xs">
        <Title order={3}>{t('rates.historyTitle')}</Title>
        <Table.ScrollContainer minWidth={1000}>
          <Table withTableBorder striped aria-busy={isFetching} data-testid="rates-history">
            <TableCaption plain>{t('rates.historyCaption')}</TableCaption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('rates.col.skillLevel')}</Table.Th>
                <Table.Th>{t('rates.col.effectiveFrom')}</Table.Th>
                <Table.Th>{t('rates.col.effectiveTo')}</Table.Th>
                {amountHeads}
                <Table.Th>{t('rates.col.notification')}</Table.Th>
                <Table.Th>{t('rates.col.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history?.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={9}>
                    <Text ta="center" size="sm">
                      {t('common.noData')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {history?.items.map((r) => (
                <Table.Tr key={r.id} data-in-force={r.inForceToday || undefined}>
                  <Table.Td>{name(r.skillLevelNameEn, r.skillLevelNameHi)}</Table.Td>
                  <Table.Td>{formatDate(r.effectiveFrom)}</Table.Td>
                  <Table.Td>{r.effectiveTo ? formatDate(r.effectiveTo) : t('rates.open')}</Table.Td>
                  {amounts(r)}
                  <Table.Td>{r.notificationRef || '—'}</Table.Td>
                  <Table.Td>
                    <StatusBadge row={r} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {history && <Pager page={history.page} pageSize={history.pageSize} total={history.total} onPage={setPage} label={t('rates.historyCaption')} />}
      </Stack>

      {manage && adding && summary && (
        <AddRevisionModal
          summary={summary}
          onClose={() => {
            setAdding(false);
            requestAnimationFrame(() => addRef.current?.focus());
          }}
          onSaved={(m) => {
            setAdding(false);
            setStatus(m);
            requestAnimationFrame(() => statusRef.current?.focus());
          }}
        />
      )}
    </Paper>
  );
}
