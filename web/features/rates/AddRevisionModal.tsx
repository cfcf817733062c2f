import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { LimitedTextInput } from '../../ui/LimitedTextInput.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TMinimumWageCreate } from '../../../shared/contracts/rates.ts';
import { formatDate } from '../../../shared/domain/dates.ts';
import { dayRatePaise, parseRupees } from '../../../shared/domain/wages.ts';
import { api } from '../../lib/api.ts';
import { dateMsg, msg, problemOf, type TMsg, useMsg } from '../contract/api.ts';

import { money, RATES_BASE, ratesKeys, type TMinimumWage, type TMinimumWageSummary } from './api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';

const FIELDS = ['skillLevelId', 'effectiveFrom', 'basicPaise', 'vdaPaise', 'notificationRef'];

/** Finance adds one minimum-wage row: a skill level's basic and VDA from a date (entered in rupees, sent in paise). */
export function AddRevisionModal({
  summary,
  onClose,
  onSaved,
}: {
  summary: TMinimumWageSummary;
  onClose: () => void;
  onSaved: (effectiveFrom: string) => void;
}) {
  const { t } = useTranslation();
  const name = useBilingual();
  const qc = useQueryClient();
  const [skillLevelId, setSkillLevelId] = useState<string | null>(null);
  const [effectiveFrom, setEffectiveFrom] = useState(formatDate(summary.expectedRevisionDate));
  const [notificationRef, setNotificationRef] = useState('');
  const [basic, setBasic] = useState('');
  const [vda, setVda] = useState('');
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [formError, setFormError] = useState<TMsg[] | null>(null);
  const m = useMsg();
  const busy = useRef(false);

  const current = summary.skills.find((s) => String(s.skillLevelId) === skillLevelId)?.latest ?? null;
  const basicPaise = parseRupees(basic);
  const vdaPaise = parseRupees(vda);

  const save = useMutation({
    mutationFn: (body: TMinimumWageCreate) => api<TMinimumWage>('POST', RATES_BASE, body),
    onSuccess: async (row) => {
      await qc.invalidateQueries({ queryKey: ratesKeys.all });
      onSaved(row.effectiveFrom);
    },
    onError: (e) => {
      const p = problemOf(e);
      setErrors(p.fields);
      setFormError([
        p.title,
        ...Object.entries(p.fields)
          .filter(([k]) => !FIELDS.includes(k))
          .map(([, v]) => v),
      ]);
    },
    onSettled: () => {
      busy.current = false;
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy.current || save.isPending) return;
    const fe: Record<string, TMsg> = {};
    const required = msg('contract.create.required');
    if (!skillLevelId) fe.skillLevelId = required;
    const iso = parseIndianDate(effectiveFrom);
    if (!effectiveFrom.trim()) fe.effectiveFrom = required;
    else if (!iso) fe.effectiveFrom = dateMsg(effectiveFrom);
    if (!notificationRef.trim()) fe.notificationRef = required;
    if (!basic.trim()) fe.basicPaise = required;
    else if (basicPaise === null) fe.basicPaise = msg('rates.add.amountInvalid');
    else if (basicPaise === 0) fe.basicPaise = msg('rates.add.basicPositive');
    if (!vda.trim()) fe.vdaPaise = required;
    else if (vdaPaise === null) fe.vdaPaise = msg('rates.add.amountInvalid');
    setErrors(fe);
    if (Object.keys(fe).length > 0) {
      setFormError([msg('contract.create.fixErrors')]);
      return;
    }
    busy.current = true;
    setFormError(null);
    save.mutate({
      skillLevelId: Number(skillLevelId),
      effectiveFrom: iso!,
      basicPaise: basicPaise!,
      vdaPaise: vdaPaise!,
      notificationRef: notificationRef.trim(),
    });
  };

  const skill = summary.skills.find((s) => String(s.skillLevelId) === skillLevelId);
  const skillName = skill ? name(skill.skillLevelNameEn, skill.skillLevelNameHi) : '';

  return (
    <Modal
      opened
      onClose={() => !save.isPending && onClose()}
      title={t('rates.add.title')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t('rates.add.hint')}</Text>
          {formError && (
            <Alert color="red" role="alert">
              {formError.map((x) => m(x)).join(' ')}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('rates.col.skillLevel')}
              required
              value={skillLevelId}
              onChange={setSkillLevelId}
              data={summary.skills.map((s) => ({ value: String(s.skillLevelId), label: name(s.skillLevelNameEn, s.skillLevelNameHi) }))}
              error={m(errors.skillLevelId)}
              data-autofocus
            />
            <DateInput label={t('rates.add.effectiveFrom')} required value={effectiveFrom} onChange={setEffectiveFrom} error={m(errors.effectiveFrom)} />
            <TextInput
              label={skillName ? t('rates.add.basicFor', { skill: skillName }) : t('rates.col.basic')}
              required
              inputMode="decimal"
              autoComplete="off"
              value={basic}
              onChange={(e) => setBasic(e.currentTarget.value)}
              error={m(errors.basicPaise)}
            />
            <TextInput
              label={skillName ? t('rates.add.vdaFor', { skill: skillName }) : t('rates.col.vda')}
              required
              inputMode="decimal"
              autoComplete="off"
              value={vda}
              onChange={(e) => setVda(e.currentTarget.value)}
              error={m(errors.vdaPaise)}
            />
          </SimpleGrid>
          {current && (
            <Text size="sm" c="dark.6">
              {t('rates.add.previous', { basic: money(current.basicPaise), vda: money(current.vdaPaise) })}
            </Text>
          )}
          {basicPaise !== null && vdaPaise !== null && basicPaise > 0 && (
            <Text size="sm" fw={600} role="status" data-testid="rates-preview">
              {t('rates.add.totalPreview', { total: money(basicPaise + vdaPaise), day: money(dayRatePaise(basicPaise, vdaPaise)) })}
            </Text>
          )}
          <LimitedTextInput
            label={t('rates.add.notification')}
            required
            maxLength={300}
            value={notificationRef}
            onChange={(v) => setNotificationRef(v)}
            error={m(errors.notificationRef)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={save.isPending}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={save.isPending}>
              {t('rates.add.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
