import { Alert, Button, FileInput, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, newIdempotencyKey } from '../../lib/api.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { StepUpField } from '../../ui/StepUpField.tsx';
import { problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { fileBase64, PAY_BASE, payKeys, type TImportResult } from './api.ts';
import { ImportRows } from './ImportRows.tsx';

/** The treasury's payment file: check it (every bad row listed, nothing saved), then save all rows or only the good ones (second factor). */
export function ImportPage() {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [code, setCode] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [checked, setChecked] = useState<TImportResult | null>(null);
  const [saved, setSaved] = useState<TImportResult | null>(null);
  const [failure, setFailure] = useState<TMsg | null>(null);
  const run = useMutation({
    mutationFn: async (mode: 'check' | 'save' | 'saveGood') => {
      if (!file) throw new Error('no file');
      const body = {
        fileName: file.name,
        contentBase64: await fileBase64(file),
        dryRun: mode === 'check',
        saveGoodRows: mode === 'saveGood',
        ...(mode === 'check' ? {} : { code }),
      };
      return api<TImportResult>('POST', `${PAY_BASE}/import`, body, mode === 'check' ? {} : { idempotencyKey: key });
    },
    onSuccess: async (r) => {
      setFailure(null);
      if (r.dryRun) setChecked(r);
      else {
        setSaved(r);
        setChecked(null);
        setKey(newIdempotencyKey());
        setCode('');
        await qc.invalidateQueries({ queryKey: payKeys.all });
      }
    },
    onError: (e) => setFailure(problemOf(e).title),
  });
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('payment.import.title')} />
      <Stack>
        <Text>{t('payment.import.intro')}</Text>
        {failure && (
          <Alert color="red" role="alert">
            {m(failure)}
          </Alert>
        )}
        {saved && (
          <Alert color="green" role="status">
            {t('payment.import.saved', { count: saved.rowsGood })}
          </Alert>
        )}
        <FileInput
          label={t('payment.import.file')}
          accept=".csv,.xlsx"
          value={file}
          onChange={(f) => {
            setFile(f);
            setChecked(null);
            setSaved(null);
          }}
          maw={480}
          clearable
          clearButtonProps={{ 'aria-label': t('common.clearFile', { name: t('payment.import.file') }) }}
        />
        <Group>
          <Button onClick={() => run.mutate('check')} disabled={!file} loading={run.isPending && run.variables === 'check'}>
            {t('payment.import.check')}
          </Button>
        </Group>
        {checked && (
          <>
            <Text role="status" fw={600}>
              {t('payment.import.summary', { total: checked.rowsTotal, good: checked.rowsGood, bad: checked.rowsBad })}
            </Text>
            <ImportRows result={checked} kind="payments" />
            {checked.rowsGood > 0 && (
              <Stack maw={480}>
                <StepUpField value={code} onChange={setCode} />
                <Group>
                  {checked.rowsBad === 0 ? (
                    <Button onClick={() => run.mutate('save')} loading={run.isPending && run.variables === 'save'}>
                      {t('payment.import.save')}
                    </Button>
                  ) : (
                    <Button onClick={() => run.mutate('saveGood')} loading={run.isPending && run.variables === 'saveGood'}>
                      {t('payment.import.saveGood', { count: checked.rowsGood })}
                    </Button>
                  )}
                </Group>
              </Stack>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
