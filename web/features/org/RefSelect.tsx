import { useDebouncedValue } from '@mantine/hooks';
import { Select } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TMaster } from '../../../shared/contracts/org.ts';
import { useRefOptions } from './api.ts';
import { optionLabel } from './masters.ts';

/** A searchable picker of another master's rows (searched on the server). */
export function RefSelect(props: {
  master: TMaster;
  label: string;
  value: number | null;
  /** How the current value reads before the options load (e.g. from the edited row). */
  currentLabel?: string | null;
  onChange: (v: number | null) => void;
  error?: string | undefined;
  required?: boolean;
  clearable?: boolean;
  w?: number | string;
}) {
  const { t, i18n } = useTranslation();
  const hi = i18n.language === 'hi';
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<{ value: string; label: string } | null>(null);
  const [debounced] = useDebouncedValue(search, 300);
  const current =
    props.value === null
      ? null
      : picked?.value === String(props.value)
        ? picked
        : props.currentLabel
          ? { value: String(props.value), label: props.currentLabel }
          : null;
  const searching = current && search === current.label ? '' : debounced;
  const opts = useRefOptions(props.master, searching);
  const data = (opts.data?.items ?? []).map((r) => ({ value: String(r.id), label: optionLabel(props.master, r, hi) }));
  if (current && !data.some((d) => d.value === current.value)) data.unshift(current);
  return (
    <Select
      label={props.label}
      searchable
      clearable={props.clearable ?? true}
      required={props.required}
      data={data}
      filter={({ options }) => options}
      value={props.value === null ? null : String(props.value)}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(v, o) => {
        setPicked(o ? { value: o.value, label: o.label } : null);
        props.onChange(v === null ? null : Number(v));
      }}
      nothingFoundMessage={t('common.noData')}
      error={props.error}
      w={props.w}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
