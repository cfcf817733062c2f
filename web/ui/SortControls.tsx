import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type TSortDir = 'asc' | 'desc';

/**
 * The "Sort by" and "Order" selects every server-sorted list shows (sanction orders, agencies,
 * contracts). `options` are the list's sortable columns, already translated; a change of either
 * calls `onChange` with both, and the page goes back to page 1 itself.
 */
export function SortControls<S extends string>({
  options,
  sort,
  dir,
  onChange,
  width = 200,
}: {
  options: { value: S; label: string }[];
  sort: S;
  dir: TSortDir;
  onChange: (sort: S, dir: TSortDir) => void;
  width?: number;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Select w={width} label={t('common.list.sortBy')} value={sort} allowDeselect={false} data={options} onChange={(v) => v && onChange(v as S, dir)} />
      <Select
        w={150}
        label={t('common.list.sortDir')}
        value={dir}
        allowDeselect={false}
        data={[
          { value: 'desc', label: t('common.list.desc') },
          { value: 'asc', label: t('common.list.asc') },
        ]}
        onChange={(v) => v && onChange(sort, v as TSortDir)}
      />
    </>
  );
}
