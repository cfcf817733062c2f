import { Alert, Button, Group, NumberInput, Paper, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TStateSettings } from '../../../shared/contracts/org.ts';
import { ApiError } from '../../lib/api.ts';
import { can, useMe } from '../../lib/session.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { orgKey, saveStateSettings, useStateSettings } from './api.ts';

const TEXT_FIELDS = ['nameHi', 'nameEn', 'gstStateCode', 'helpEmail', 'helpPhone'] as const;

/** The state this installation serves: names, GSTIN state code, financial year, help contact. */
export function StateSettingsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const manage = can(me, 'org.manage');
  const current = useStateSettings();
  const [values, setValues] = useState<TStateSettings | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);
  useEffect(() => {
    if (current.data && !values) setValues(current.data);
  }, [current.data, values]);

  const save = useMutation({
    mutationFn: () => saveStateSettings(values!),
    onSuccess: async (s) => {
      setValues(s);
      setErrors({});
      setMessage({ color: 'green', text: t('org.done.settings') });
      await qc.invalidateQueries({ queryKey: orgKey });
    },
    onError: (e) => {
      if (e instanceof ApiError) {
        setErrors(e.fieldErrors());
        setMessage({ color: 'red', text: e.problem.title });
      } else setMessage({ color: 'red', text: t('common.somethingWrong') });
    },
  });

  const title = t('org.masters.state-settings');
  return (
    <Paper withBorder p="lg">
      <PageTitle title={title} crumbs={[{ label: t('org.title'), to: '/masters' }]} />
      {!values ? (
        <Alert color={current.isError ? 'red' : 'gray'} role="status">
          {current.isError ? t('common.somethingWrong') : t('common.loading')}
        </Alert>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setMessage(null);
            save.mutate();
          }}
        >
          <Stack maw={800}>
            {message && (
              <Alert color={message.color} role={message.color === 'red' ? 'alert' : 'status'}>
                {message.text}
              </Alert>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {TEXT_FIELDS.map((f) => (
                <TextInput
                  key={f}
                  label={t(`org.field.${f}`)}
                  value={values[f]}
                  readOnly={!manage}
                  required={!f.startsWith('help')}
                  error={errors[f] || undefined}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setValues((s) => (s ? { ...s, [f]: v } : s));
                  }}
                />
              ))}
              <NumberInput
                label={t('org.field.currentFyStart')}
                description={t('org.fyHint', { from: values.currentFyStart, to: String((values.currentFyStart + 1) % 100).padStart(2, '0') })}
                value={values.currentFyStart}
                readOnly={!manage}
                required
                allowDecimal={false}
                thousandSeparator={false}
                error={errors.currentFyStart || undefined}
                onChange={(v) => setValues((s) => (s ? { ...s, currentFyStart: typeof v === 'number' ? v : s.currentFyStart } : s))}
              />
              <NumberInput
                label={t('org.field.retirementAge')}
                description={t('org.retirementAgeHint')}
                value={values.retirementAge}
                readOnly={!manage}
                required
                min={55}
                max={70}
                allowDecimal={false}
                thousandSeparator={false}
                error={errors.retirementAge || undefined}
                onChange={(v) => setValues((s) => (s ? { ...s, retirementAge: typeof v === 'number' ? v : s.retirementAge } : s))}
              />
            </SimpleGrid>
            {manage && (
              <Group justify="flex-end">
                <Button type="submit" loading={save.isPending}>
                  {t('common.save')}
                </Button>
              </Group>
            )}
          </Stack>
        </form>
      )}
    </Paper>
  );
}
