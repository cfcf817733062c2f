import { Alert, Anchor, Button, FileInput, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_BULK_ROWS, type TBulkReport } from '../../../shared/contracts/resource-bulk.ts';
import { ApiError, api, qs } from '../../lib/api.ts';
import { formatInt } from '../../ui/format.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { BASE, resourceKeys, useResourceOptions } from './api.ts';

/**
 * Add resources in bulk (issue 14 item 1), for agency users: pick a contract, download its Excel
 * template, upload it filled; the server checks the whole file (dry run) and lists every bad row
 * (row, column, reason in the user's language); then "Import" makes the good rows drafts
 * awaiting e-KYC and says how many were created.
 */
export function BulkAddPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { data: options } = useResourceOptions();
  const contracts = options?.contracts ?? [];
  const [contractId, setContractId] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<TBulkReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const chosen = contractId ?? (contracts.length === 1 ? String(contracts[0]!.id) : null);

  const run = useMutation({
    mutationFn: (dryRun: boolean) => {
      const body = new FormData();
      body.append('file', file!);
      return api<TBulkReport>('POST', `${BASE}/bulk${qs({ contractId: chosen, dryRun })}`, body);
    },
    onSuccess: async (r, dryRun) => {
      setReport(r);
      if (!dryRun) await qc.invalidateQueries({ queryKey: resourceKeys.all });
    },
    onError: (e) => {
      setReport(null);
      if (e instanceof ApiError) {
        const fe = e.problem.errors?.[0];
        setProblem(fe ? t(`validation.${fe.code}`, { ...fe.params, defaultValue: fe.message ?? e.problem.title }) : e.problem.title);
      } else setProblem(t('common.somethingWrong'));
    },
  });
  const reset = () => {
    setReport(null);
    setProblem(null);
  };
  const imported = report !== null && !report.dryRun;
  const badRows = report ? new Set(report.errors.map((e) => e.row)).size : 0;

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('resource.bulk.title')} crumbs={[{ label: t('resource.title'), to: '/resources' }]} />
      <Stack>
        <Text>{t('resource.bulk.intro')}</Text>
        {options && contracts.length === 0 && (
          <Alert color="yellow" role="status">
            {t('resource.bulk.noContracts')}
          </Alert>
        )}
        <Select
          w={360}
          label={t('resource.bulk.contract')}
          value={chosen}
          data={contracts.map((c) => ({ value: String(c.id), label: c.contractNo }))}
          onChange={(v) => {
            setContractId(v);
            reset();
          }}
          allowDeselect={false}
          searchable
        />
        <Title order={3}>{t('resource.bulk.step1')}</Title>
        <Group>
          <Button component="a" variant="outline" href={chosen ? `${BASE}/bulk/template${qs({ contractId: chosen })}` : undefined} disabled={!chosen} download>
            {t('resource.bulk.download')}
          </Button>
        </Group>
        <Title order={3}>{t('resource.bulk.step2')}</Title>
        <FileInput
          w={360}
          label={t('resource.bulk.file')}
          description={t('resource.bulk.fileHint', { max: formatInt(MAX_BULK_ROWS) })}
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          value={file}
          onChange={(f) => {
            setFile(f);
            reset();
          }}
          clearable
          clearButtonProps={{ 'aria-label': t('common.clear') }}
        />
        <Group>
          <Button
            variant="outline"
            disabled={!file || !chosen || imported}
            loading={run.isPending && run.variables === true}
            onClick={() => {
              reset();
              run.mutate(true);
            }}
          >
            {t('resource.bulk.check')}
          </Button>
        </Group>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        {report && (
          <>
            <Title order={3}>{t('resource.bulk.step3')}</Title>
            <Text data-testid="bulk-summary">
              {t('resource.bulk.summary', { rows: formatInt(report.rows), good: formatInt(report.good), bad: formatInt(badRows) })}
            </Text>
            {report.errors.length === 0 && !imported && (
              <Alert color="green" role="status">
                {t('resource.bulk.noErrors')}
              </Alert>
            )}
            {report.errors.length > 0 && (
              <Table.ScrollContainer minWidth={600} mah={420}>
                <Table withTableBorder striped data-testid="bulk-errors">
                  <caption style={{ captionSide: 'top', textAlign: 'start', fontWeight: 600, paddingBottom: 4 }}>{t('resource.bulk.errorsCaption')}</caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('resource.bulk.colRow')}</Table.Th>
                      <Table.Th scope="col">{t('resource.bulk.colField')}</Table.Th>
                      <Table.Th scope="col">{t('resource.bulk.colMessage')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {report.errors.map((e) => (
                      <Table.Tr key={`${e.row}-${e.field}`}>
                        <Table.Td>{formatInt(e.row)}</Table.Td>
                        <Table.Td>{t(`resource.bulk.col.${e.field}`, { defaultValue: e.field })}</Table.Td>
                        <Table.Td>{e.message}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            {report.dryRun && report.alreadyImported && (
              <Alert color="yellow" role="status">
                {t('resource.bulk.alreadyImported')}
              </Alert>
            )}
            {report.dryRun && report.good === 0 && (
              <Alert color="red" role="status">
                {t('resource.bulk.nothingGood')}
              </Alert>
            )}
            {report.dryRun && report.good > 0 && !report.alreadyImported && (
              <Stack gap="xs">
                {report.errors.length > 0 && <Text size="sm">{t('resource.bulk.importConfirm')}</Text>}
                <Group>
                  <Button loading={run.isPending && run.variables === false} onClick={() => run.mutate(false)}>
                    {t('resource.bulk.import', { count: report.good })}
                  </Button>
                </Group>
              </Stack>
            )}
            {imported && (
              <Alert color={report.alreadyImported ? 'yellow' : 'green'} role="status" data-testid="bulk-created">
                {report.alreadyImported ? t('resource.bulk.alreadyImported') : t('resource.bulk.created', { count: report.created })}
              </Alert>
            )}
          </>
        )}
        <Group>
          <Anchor component={Link} to="/resources">
            {t('resource.bulk.back')}
          </Anchor>
        </Group>
      </Stack>
    </Paper>
  );
}
