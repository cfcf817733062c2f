import { Alert, Button, Group, Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pager } from './Pager.tsx';
import type { TSortDir } from './SortControls.tsx';
import { TableCaption } from './TableCaption.tsx';

/**
 * The state of a server-paged list: the search box (debounced, trimmed), the sort, the page. Any
 * change of search, filter or sort goes back to page 1; wrap a filter's setter in `filter(...)`.
 */
export function useListState<S extends string>(initial: { sort: S; dir: TSortDir; firstDir?: (col: S) => TSortDir }) {
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [sort, setSort] = useState<S>(initial.sort);
  const [dir, setDir] = useState<TSortDir>(initial.dir);
  const [page, setPage] = useState(1);
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };
  return {
    q,
    setQ: filter(setQ),
    /** The search to send: undefined while the box is empty. */
    search: debouncedQ || undefined,
    sort,
    dir,
    page,
    setPage,
    filter,
    /** From the sort selects: both at once. */
    setSorting: (s: S, d: TSortDir) => {
      setSort(s);
      setDir(d);
      setPage(1);
    },
    /** From a column heading: the same column turns round, another starts in its natural direction. */
    sortBy: (col: S) => {
      if (col === sort) setDir((d) => (d === 'asc' ? 'desc' : 'asc'));
      else {
        setSort(col);
        setDir(initial.firstDir?.(col) ?? 'desc');
      }
      setPage(1);
    },
  };
}

/** A column heading that sorts the list: ▲ / ▼ on the sorted column, ↕ on the others; `aria-sort` for screen readers. */
export function SortTh({ label, dir, onSort }: { label: string; dir: TSortDir | null; onSort: () => void }) {
  const { t } = useTranslation();
  return (
    <Table.Th scope="col" aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}>
      <UnstyledButton onClick={onSort} fw={700} fz="sm" style={{ textDecoration: 'underline dotted' }}>
        {label} <span aria-hidden="true">{dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}</span>
        {dir && <VisuallyHidden>({t(dir === 'asc' ? 'common.list.sortedAsc' : 'common.list.sortedDesc')})</VisuallyHidden>}
      </UnstyledButton>
    </Table.Th>
  );
}

/** "Export Excel" and "Export CSV": the list as it is filtered and sorted, every page. */
export function ExportLinks({ href }: { href: (format: 'xlsx' | 'csv') => string }) {
  const { t } = useTranslation();
  return (
    <>
      <Button component="a" variant="default" href={href('xlsx')} download>
        {t('common.exportExcel')}
      </Button>
      <Button component="a" variant="default" href={href('csv')} download>
        {t('common.exportCsv')}
      </Button>
    </>
  );
}

/** What a list page passes of its query (TanStack Query's result fits). */
export type TListResult = {
  data?: { items: readonly unknown[]; total: number; totalCapped?: boolean };
  isLoading: boolean;
  isError: boolean;
  isFetching: boolean;
};

/** The row number (1, 2, …) of the i-th row of the page shown. */
export function serialNo(paging: { page: number; pageSize: number }, i: number): number {
  return (paging.page - 1) * paging.pageSize + i + 1;
}

/**
 * The scaffold every server-paged list shares: filters on the left and actions on the right, the
 * refusal, the table (caption or label, headings, one row saying "loading" / "no records" /
 * "something went wrong" when there are none, the rows), and the pager.
 */
export function ListPage({
  filters,
  actions,
  error,
  caption,
  label,
  minWidth,
  head,
  columns,
  result,
  paging,
  children,
}: {
  filters?: ReactNode;
  actions?: ReactNode;
  /** A refusal to show above the table. */
  error?: string | null;
  /** A visible caption; or, without one, `label` names the table. */
  caption?: ReactNode;
  label?: string;
  minWidth: number;
  /** The heading cells. */
  head: ReactNode;
  columns: number;
  result: TListResult;
  /** The page shown; `label` names the pager for screen readers. */
  paging: { page: number; pageSize: number; onPage: (p: number) => void; label: string };
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { data } = result;
  return (
    <>
      {(filters || actions) && (
        <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
          <Group align="flex-end" wrap="wrap">
            {filters}
          </Group>
          {actions && <Group gap="xs">{actions}</Group>}
        </Group>
      )}
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={minWidth}>
        <Table withTableBorder striped highlightOnHover aria-busy={result.isFetching} aria-label={caption ? undefined : label}>
          {caption && <TableCaption>{caption}</TableCaption>}
          <Table.Thead>
            <Table.Tr>{head}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!data?.items.length && (
              <Table.Tr>
                <Table.Td colSpan={columns}>
                  <Text ta="center" size="sm">
                    {result.isLoading ? t('common.loading') : result.isError ? t('common.somethingWrong') : t('common.noData')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {children}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {data && (
        <Pager
          page={paging.page}
          pageSize={paging.pageSize}
          total={data.total}
          capped={data.totalCapped === true}
          onPage={paging.onPage}
          label={paging.label}
        />
      )}
    </>
  );
}
