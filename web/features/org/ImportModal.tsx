import { Alert, Button, FileInput, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MASTER_FILE_COLUMNS, type TImportReport, type TMaster } from '../../../shared/contracts/org.ts';
import { ApiError } from '../../lib/api.ts';
import { formatInt, importFile, orgKey } from './api.ts';

/**
 * Import: choose a CSV / Excel file → the server checks every row (dry run) → the bad rows are
 * listed with their reasons → "Confirm import" only when the file is clean.
 */
export function ImportModal({ master, onClose, onDone }: { master: TMaster; onClose: () => void; onDone: (r: TImportReport) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<TImportReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const run = useMutation({
    mutationFn: (dryRun: boolean) => importFile(master, file!, dryRun),
    onSuccess: async (r, dryRun) => {
      setReport(r);
      if (!dryRun && r.saved) {
        await qc.invalidateQueries({ queryKey: orgKey });
        onDone(r);
      }
    },
    onError: (e) => setProblem(e instanceof ApiError ? e.problem.title : t('common.somethingWrong')),
  });

  const clean = report !== null && report.errors.length === 0;
  return (
    <Modal
      opened
      onClose={() => !run.isPending && onClose()}
      size="xl"
      centered
      title={t('org.importTitle', { master: t(`org.masters.${master}`) })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <Stack>
        <Text size="sm">{t('org.importHelp')}</Text>
        <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {MASTER_FILE_COLUMNS[master].join(', ')}
        </Text>
        <FileInput
          label={t('org.chooseFile')}
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          value={file}
          onChange={(f) => {
            setFile(f);
            setReport(null);
            setProblem(null);
          }}
          clearable
          clearButtonProps={{ 'aria-label': t('common.clear') }}
        />
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        {report && clean && (
          <Alert color="green" role="status">
            {t(report.saved ? 'org.importDone' : 'org.importClean', {
              rows: formatInt(report.rows),
              created: formatInt(report.created),
              updated: formatInt(report.updated),
              unchanged: formatInt(report.unchanged),
            })}
          </Alert>
        )}
        {report && !clean && (
          <>
            <Alert color="red" role="alert">
              {t('org.importErrors', { count: report.errors.length, n: formatInt(report.errors.length) })}
            </Alert>
            <Table.ScrollContainer minWidth={500} mah={320}>
              <Table withTableBorder striped aria-label={t('org.errorsCaption')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('org.col.row')}</Table.Th>
                    <Table.Th scope="col">{t('org.col.field')}</Table.Th>
                    <Table.Th scope="col">{t('org.col.reason')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.errors.map((e) => (
                    <Table.Tr key={`${e.row}-${e.field}`}>
                      <Table.Td>{formatInt(e.row)}</Table.Td>
                      <Table.Td>{e.field}</Table.Td>
                      <Table.Td>{e.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={run.isPending}>
            {t(report?.saved ? 'common.close' : 'common.cancel')}
          </Button>
          {!report?.saved && (
            <Button
              variant="outline"
              disabled={!file}
              loading={run.isPending && run.variables === true}
              onClick={() => {
                setProblem(null);
                run.mutate(true);
              }}
            >
              {t('org.checkFile')}
            </Button>
          )}
          {!report?.saved && (
            <Button disabled={!file || !clean} loading={run.isPending && run.variables === false} onClick={() => run.mutate(false)}>
              {t('org.confirmImport')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
