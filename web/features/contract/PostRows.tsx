import { Button, Group, Paper, Select, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TMinimumWage } from '../../../shared/contracts/rates.ts';
import { formatDate } from '../../../shared/domain/dates.ts';
import { parseRupees } from '../../../shared/domain/wages.ts';
import { formatInt } from '../../ui/format.ts';
import { minimumForPeriod, money, type TContractOptions, type TMsg, useContractOptions, useMsg } from './api.ts';
import { useBilingual } from '../../lib/bilingual.ts';

export type TPostRow = {
  key: number;
  officeId: string | null;
  skillLevelId: string | null;
  postNameId: string | null;
  positions: string;
  basic: string;
  vda: string;
};
export type TRowErrors = Partial<Record<'officeId' | 'skillLevelId' | 'postNameId' | 'positions' | 'basicPaise' | 'vdaPaise', TMsg>>;

export function emptyRow(key: number, officeId: string | null): TPostRow {
  return { key, officeId, skillLevelId: null, postNameId: null, positions: '', basic: '', vda: '' };
}

export const rowKey = (officeId: number | string | null, skillLevelId: number | string | null, postNameId: number | string | null) =>
  `${officeId}-${skillLevelId}-${postNameId}`;

/**
 * Sanctioned (locked orders) and covered (other active contracts) positions of a row's post, from
 * the options' capacity. `own` are the positions this contract's version in force covers itself
 * (a new version replaces them, so they are not "other" coverage).
 */
export function capacityOf(options: TContractOptions | undefined, row: TPostRow, own: Record<string, number> = {}) {
  if (!options || !row.officeId || !row.skillLevelId || !row.postNameId) return null;
  const c = options.capacity.find(
    (x) => String(x.officeId) === row.officeId && String(x.skillLevelId) === row.skillLevelId && String(x.postNameId) === row.postNameId,
  );
  const sanctioned = c?.sanctioned ?? 0;
  const covered = Math.max(0, (c?.covered ?? 0) - (own[rowKey(row.officeId, row.skillLevelId, row.postNameId)] ?? 0));
  return { sanctioned, covered, available: Math.max(0, sanctioned - covered) };
}

/**
 * One post of the contract: where, which post, how many, at what wage — with what the sanction allows and the law requires.
 * Basic and VDA are not prefilled: the contract's own wage is typed, and each field's hint gives the minimum in force for the
 * chosen skill level over the contract's period (a fake placeholder such as 12294.00 looked like a filled value, issue 12.5).
 */
export function PostRowFields({
  row,
  index,
  offices,
  skillLevels,
  postNames,
  wages,
  period,
  errors,
  own,
  onChange,
  onRemove,
}: {
  row: TPostRow;
  index: number;
  offices: TContractOptions['offices'];
  skillLevels: TContractOptions['skillLevels'];
  postNames: TContractOptions['postNames'];
  wages: TMinimumWage[];
  period: { start: string; end: string };
  errors: TRowErrors;
  own?: Record<string, number>;
  onChange: (next: TPostRow) => void;
  onRemove?: () => void;
}) {
  const { t } = useTranslation();
  const name = useBilingual();
  const m = useMsg();
  const { data: officeOptions } = useContractOptions(row.officeId ? Number(row.officeId) : null);
  const cap = capacityOf(officeOptions, row, own);
  const minimum = row.skillLevelId ? minimumForPeriod(wages, Number(row.skillLevelId), period.start, period.end) : null;
  const basic = parseRupees(row.basic);
  const vda = parseRupees(row.vda);
  const positions = /^\d+$/.test(row.positions.trim()) ? Number(row.positions) : null;
  const wage = basic !== null && vda !== null ? basic + vda : null;
  const n = index + 1;
  const set = (patch: Partial<TPostRow>) => onChange({ ...row, ...patch });

  return (
    <Paper withBorder p="sm" component="fieldset" data-testid={`post-row-${index}`} style={{ minWidth: 0 }}>
      <legend style={{ padding: '0 4px', fontWeight: 700, fontSize: 'var(--mantine-font-size-sm)' }}>{t('contract.post.row', { n })}</legend>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
        <Select
          label={t('contract.post.office')}
          required
          searchable
          value={row.officeId}
          onChange={(v) => set({ officeId: v })}
          data={offices.map((o) => ({ value: String(o.id), label: `${name(o.nameEn, o.nameHi)} (${o.id})` }))}
          error={m(errors.officeId)}
        />
        <Select
          label={t('contract.post.skillLevel')}
          required
          value={row.skillLevelId}
          onChange={(v) => set({ skillLevelId: v })}
          data={skillLevels.map((s) => ({ value: String(s.id), label: name(s.nameEn, s.nameHi) }))}
          error={m(errors.skillLevelId)}
        />
        <Select
          label={t('contract.post.postName')}
          required
          searchable
          value={row.postNameId}
          onChange={(v) => set({ postNameId: v })}
          data={postNames.map((s) => ({ value: String(s.id), label: name(s.nameEn, s.nameHi) }))}
          error={m(errors.postNameId)}
        />
        <TextInput
          label={t('contract.post.positions')}
          required
          inputMode="numeric"
          autoComplete="off"
          value={row.positions}
          onChange={(e) => set({ positions: e.currentTarget.value })}
          error={m(errors.positions)}
        />
        <TextInput
          label={t('contract.post.basic')}
          required
          inputMode="decimal"
          autoComplete="off"
          description={minimum ? t('contract.post.basicHint', { amount: money(minimum.basicPaise) }) : t('contract.post.wageHintNone')}
          value={row.basic}
          onChange={(e) => set({ basic: e.currentTarget.value })}
          error={m(errors.basicPaise)}
        />
        <TextInput
          label={t('contract.post.vda')}
          required
          inputMode="decimal"
          autoComplete="off"
          description={minimum ? t('contract.post.vdaHint', { amount: money(minimum.vdaPaise) }) : t('contract.post.wageHintNone')}
          value={row.vda}
          onChange={(e) => set({ vda: e.currentTarget.value })}
          error={m(errors.vdaPaise)}
        />
      </SimpleGrid>
      <Group gap="lg" mt="xs" wrap="wrap" data-testid={`post-row-${index}-info`}>
        {cap ? (
          <>
            <Text size="sm">
              {t('contract.post.sanctioned')}: <b>{formatInt(cap.sanctioned)}</b>
            </Text>
            <Text size="sm">
              {t('contract.post.covered')}: <b>{formatInt(cap.covered)}</b>
            </Text>
            <Text size="sm" c={positions !== null && positions > cap.available ? 'red.9' : undefined}>
              {t('contract.post.available')}: <b data-testid={`post-row-${index}-available`}>{formatInt(cap.available)}</b>
            </Text>
          </>
        ) : (
          <Text size="sm" c="dark.6">
            {t('contract.post.chooseFirst')}
          </Text>
        )}
        {row.skillLevelId && (
          <Text size="sm" data-testid={`post-row-${index}-minimum`}>
            {t('contract.post.minimum')}:{' '}
            {minimum ? (
              <b>{money(minimum.totalPaise)}</b>
            ) : (
              <Text span c="red.9" size="sm">
                {t('contract.post.noMinimum')}
              </Text>
            )}
            {minimum && ` (${formatDate(minimum.effectiveFrom)})`}
          </Text>
        )}
        {wage !== null && wage > 0 && (
          <Text size="sm">
            {t('contract.post.wage')}: <b>{money(wage)}</b>
          </Text>
        )}
      </Group>
      {cap && cap.sanctioned === 0 && (
        <Text size="sm" c="red.9" mt={4}>
          {t('contract.post.noCapacity')}
        </Text>
      )}
      {cap && positions !== null && positions > cap.available && cap.sanctioned > 0 && !errors.positions && (
        <Text size="sm" c="red.9" mt={4}>
          {t('contract.post.overCapacity', { available: formatInt(cap.available) })}
        </Text>
      )}
      {minimum && wage !== null && wage < minimum.totalPaise && !errors.basicPaise && (
        <Text size="sm" c="red.9" mt={4}>
          {t('contract.post.belowMinimum', { wage: money(wage), minimum: money(minimum.totalPaise) })}
        </Text>
      )}
      {onRemove && (
        <Group justify="flex-end" mt="xs">
          <Button size="xs" variant="outline" color="red.9" onClick={onRemove} aria-label={t('contract.post.removeRow', { n })}>
            {t('contract.post.removeRow', { n })}
          </Button>
        </Group>
      )}
    </Paper>
  );
}
