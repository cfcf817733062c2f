import { Alert, Anchor, Button, Checkbox, FileInput, Group, List, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TUploadReport } from '../../../shared/contracts/attendance.ts';
import { ApiError } from '../../lib/api.ts';
import { type UploadStage, uploadWithProgress } from './api.ts';

/**
 * Entry by spreadsheet for an open office-month: download the pre-filled template (Excel or CSV,
 * in the user's language), fill it, upload it. The server checks the whole file; with bad rows
 * nothing is saved and each is listed with its row and reason, unless the user ticks "save the
 * good rows anyway". While the file is sent a progress bar shows how much has gone, then
 * "checking the file" until the server answers. A workbook that is not the template as
 * downloaded (formulas, merged cells, another sheet) is refused with each reason listed.
 */
export function SheetFilePanel({
  base,
  title,
  mayUpload = true,
  onSaved,
}: {
  /** The office-month's (`sheetUrl`) or the department-month's (`departmentSheetUrl`) address. */
  base: string;
  title?: string;
  /** False for readers who may download the department's template but not upload (no `attendance.manage`). */
  mayUpload?: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [saveGood, setSaveGood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [stage, setStage] = useState<UploadStage | null>(null);
  const [report, setReport] = useState<TUploadReport | null>(null);
  const [problem, setProblem] = useState<{ title: string; reasons: string[] } | null>(null);

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const r = await uploadWithProgress<TUploadReport>(`${base}/upload${saveGood ? '?saveGood=true' : ''}`, file, setStage);
      setReport(r);
      if (r.saved) onSaved();
    } catch (e) {
      setReport(null);
      setProblem(
        e instanceof ApiError
          ? { title: e.problem.title, reasons: (e.problem.errors ?? []).map((x) => x.message ?? x.code) }
          : { title: t('errors.internal'), reasons: [] },
      );
    } finally {
      setBusy(false);
      setStage(null);
    }
  };

  return (
    <Stack gap="xs" mt="lg">
      <Title order={3}>{title ?? t('attendance.uploadTitle')}</Title>
      <Group>
        <Anchor href={`${base}/template?format=xlsx`} download data-testid="attendance-template-xlsx">
          {t('attendance.download')}
        </Anchor>
        <Anchor href={`${base}/template?format=csv`} download>
          {t('attendance.downloadCsv')}
        </Anchor>
      </Group>
      {mayUpload && (
        <Group align="flex-end">
          <FileInput
            label={t('attendance.upload')}
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            value={file}
            onChange={(f) => {
              setFile(f);
              setReport(null);
              setProblem(null);
            }}
            clearable
            clearButtonProps={{ 'aria-label': t('common.clear') }}
            miw={320}
          />
          <Checkbox label={t('attendance.uploadSaveGood')} checked={saveGood} onChange={(e) => setSaveGood(e.currentTarget.checked)} />
          <Button onClick={() => void upload()} disabled={!file} loading={busy}>
            {t('attendance.upload')}
          </Button>
        </Group>
      )}
      {stage && (
        <Stack gap={4} data-testid="attendance-upload-progress">
          <Text size="sm" role="status">
            {stage.stage === 'sending'
              ? t('attendance.sheetFile.uploading', { percent: Math.round(stage.fraction * 100) })
              : t('attendance.sheetFile.validating')}
          </Text>
          <Progress
            value={stage.stage === 'sending' ? Math.round(stage.fraction * 100) : 100}
            animated={stage.stage === 'validating'}
            aria-label={t('attendance.sheetFile.uploadProgress')}
          />
        </Stack>
      )}
      {problem && (
        <Alert color="red" role="alert">
          <Text size="sm" c="dark.9">
            {problem.title}
          </Text>
          {problem.reasons.length > 0 && (
            <List size="sm" mt="xs">
              {problem.reasons.map((r) => (
                <List.Item key={r}>{r}</List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
      {report && (
        <Alert color={report.errors.length ? 'red' : 'green'} role={report.errors.length ? 'alert' : 'status'}>
          <Text size="sm" c="dark.9">
            {report.errors.length && !report.saved ? t('attendance.uploadErrors', { count: report.errors.length }) : t('attendance.uploadReport', report)}
          </Text>
        </Alert>
      )}
      {report && report.errors.length > 0 && (
        <Table withTableBorder striped aria-label={t('attendance.uploadTitle')}>
          <Table.Tbody>
            {report.errors.map((e) => (
              <Table.Tr key={`${e.row}-${e.field}`}>
                <Table.Td>{e.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
