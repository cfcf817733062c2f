import { Button, type ComboboxItem, Group, type OptionsFilter, SimpleGrid, Title } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';
import { ApiError } from '../../lib/api.ts';
import { dateProblem, parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { ListPage } from '../../ui/ListPage.tsx';

/** Mantine's default description grey is too light for WCAG AA contrast. */
export const inputStyles = { description: { color: 'var(--mantine-color-gray-8)' } };

/** A timestamp in IST as dd/mm/yyyy hh:mm:ss (a trail entry needs the seconds). */
export function whenIst(ts: string): string {
  const t = new Date(new Date(ts).getTime() + 330 * 60_000).toISOString();
  return `${formatDate(t)} ${t.slice(11, 19)}`;
}

/** A filter date as typed → 'YYYY-MM-DD'; '' stays '' (no bound); null when it is no real date. */
function isoOf(typed: string): string | null {
  return typed.trim() ? parseIndianDate(typed) : '';
}

/** A choice matches when every typed word is in its label, in any order ("login failed" finds "Login failed" and "Failed login"). */
export const byWords: OptionsFilter = ({ options, search }) => {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  return (options as ComboboxItem[]).filter((o) => words.every((w) => o.label.toLowerCase().includes(w)));
};

/** What every trail search filters on (empty strings mean "any"); a page adds its own fields. */
export type TrailFilters = { username: string; ip: string; from: string; to: string };

/** What a page's filter fields get: the draft, its setters, the server's field errors and the two date inputs. */
export type FilterKit<F extends TrailFilters> = {
  draft: F;
  setDraft: (next: F) => void;
  /** `onChange` for a text input of field `k`. */
  bind: (k: keyof F) => (e: { currentTarget: { value: string } }) => void;
  fieldErrors: Record<string, string>;
  dateInput: (k: 'from' | 'to') => ReactNode;
};

type SearchResult<R> = {
  data?: { items: R[]; total: number };
  error: unknown;
  isLoading: boolean;
  isError: boolean;
  isFetching: boolean;
};

/**
 * A searchable, paged trail list (the audit trail and the security log): the search form with
 * its dates checked before sending (dd/mm/yyyy), Search and Clear, and the results table —
 * a refused filter shown at its field, any other refusal above the results. The page supplies
 * its fields, its head and its rows; `onChange` runs when the search or the page changes.
 */
export function AuditList<F extends TrailFilters, R>(props: {
  /** Prefix of the sections' heading ids (`<id>-search-heading`, `<id>-results-heading`). */
  id: string;
  empty: F;
  useSearch: (filters: F, page: number, pageSize: number) => SearchResult<R>;
  pageSize: number;
  text: { searchHeading: string; resultsHeading: string; caption: string; pager: string };
  fields: (kit: FilterKit<F>) => ReactNode;
  minWidth: number;
  head: ReactNode;
  columns: number;
  children: (rows: R[]) => ReactNode;
  onChange?: () => void;
}) {
  const { t } = useTranslation();
  const { empty, pageSize, onChange } = props;
  const [draft, setDraft] = useState<F>(empty);
  const [filters, setFilters] = useState<F>(empty);
  const [page, setPage] = useState(1);
  const [dateErrors, setDateErrors] = useState<{ from?: string; to?: string }>({});
  const list = props.useSearch(filters, page, pageSize);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const from = isoOf(draft.from);
    const to = isoOf(draft.to);
    setDateErrors({
      ...(from === null ? { from: t(`validation.${dateProblem(draft.from)}`) } : {}),
      ...(to === null ? { to: t(`validation.${dateProblem(draft.to)}`) } : {}),
    });
    if (from === null || to === null) return;
    setFilters({ ...draft, from, to, username: draft.username.trim(), ip: draft.ip.trim() });
    setPage(1);
    onChange?.();
  };
  const clear = () => {
    setDateErrors({});
    setDraft(empty);
    setFilters(empty);
    setPage(1);
    onChange?.();
  };

  const fieldErrors = list.error instanceof ApiError ? list.error.fieldErrors() : {};
  // A refusal of a filter is shown at the field; any other at the top of the results.
  const refused = Boolean(list.error) && Object.keys(fieldErrors).length === 0;
  const kit: FilterKit<F> = {
    draft,
    setDraft,
    bind: (k) => (e) => setDraft({ ...draft, [k]: e.currentTarget.value }),
    fieldErrors,
    dateInput: (k) => (
      <DateInput
        name={k}
        styles={inputStyles}
        label={t(k === 'from' ? 'audit.from' : 'audit.to')}
        description={t('audit.dateHint')}
        value={draft[k]}
        onChange={(v) => setDraft({ ...draft, [k]: v })}
        error={dateErrors[k] ?? fieldErrors[k]}
      />
    ),
  };

  return (
    <>
      <section aria-labelledby={`${props.id}-search-heading`}>
        <Title order={3} size="h4" id={`${props.id}-search-heading`} mb="xs">
          {props.text.searchHeading}
        </Title>
        <form onSubmit={submit} noValidate>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
            {props.fields(kit)}
            <Group align="flex-end" gap="xs">
              <Button type="submit">{t('audit.search')}</Button>
              <Button type="button" variant="default" onClick={clear}>
                {t('audit.clear')}
              </Button>
            </Group>
          </SimpleGrid>
        </form>
      </section>

      <section aria-labelledby={`${props.id}-results-heading`}>
        <Title order={3} size="h4" id={`${props.id}-results-heading`} mb="xs">
          {props.text.resultsHeading}
        </Title>
        <ListPage
          error={refused ? (list.error instanceof ApiError ? list.error.problem.title : t('common.somethingWrong')) : null}
          caption={props.text.caption}
          minWidth={props.minWidth}
          head={props.head}
          columns={props.columns}
          result={{ ...list, isError: refused }}
          paging={{
            page,
            pageSize,
            onPage: (p) => {
              setPage(p);
              onChange?.();
            },
            label: props.text.pager,
          }}
        >
          {props.children(list.data?.items ?? [])}
        </ListPage>
      </section>
    </>
  );
}
