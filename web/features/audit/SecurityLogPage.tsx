import { Button, Code, type ComboboxItem, Group, type OptionsFilter, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SECURITY_EVENT_KINDS, type TSecurityEvent } from '../../../shared/contracts/security.ts';
import { formatDate } from '../../../shared/domain/dates.ts';
import { ApiError } from '../../lib/api.ts';
import { dateProblem, parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { ListPage } from '../../ui/ListPage.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { NO_SECURITY_FILTERS, type SecurityFilters, useSecuritySearch } from './api.ts';

const PAGE_SIZE = 25;
/** Mantine's default description grey is too light for WCAG AA contrast. */
const inputStyles = { description: { color: 'var(--mantine-color-gray-8)' } };
const grey = 'var(--mantine-color-gray-8)';

/** A timestamp in IST as dd/mm/yyyy hh:mm:ss. */
function whenIst(ts: string): string {
  const t = new Date(new Date(ts).getTime() + 330 * 60_000).toISOString();
  return `${formatDate(t)} ${t.slice(11, 19)}`;
}

/** A filter date as typed → 'YYYY-MM-DD'; '' stays '' (no bound); null when it is no real date. */
function isoOf(typed: string): string | null {
  return typed.trim() ? parseIndianDate(typed) : '';
}

/** A choice matches when every typed word is in its label, in any order ("login failed" finds "Failed login"). */
const byWords: OptionsFilter = ({ options, search }) => {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  return (options as ComboboxItem[]).filter((o) => words.every((w) => o.label.toLowerCase().includes(w)));
};

/** The login id typed at a refused login or reset request (recorded masked), if any. */
function typedOf(e: TSecurityEvent): string {
  const d = e.details as { username?: unknown } | null;
  return typeof d?.username === 'string' ? d.username : '';
}

/** Search the security log (issue 11 finding 6): refused requests and security events, for roles with audit.read. */
export function SecurityLogPage() {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<SecurityFilters>(NO_SECURITY_FILTERS);
  const [filters, setFilters] = useState<SecurityFilters>(NO_SECURITY_FILTERS);
  const [page, setPage] = useState(1);
  const [dateErrors, setDateErrors] = useState<{ from?: string; to?: string }>({});
  const list = useSecuritySearch(filters, page, PAGE_SIZE);

  const set = (k: keyof SecurityFilters) => (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [k]: e.currentTarget.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const from = isoOf(draft.from);
    const to = isoOf(draft.to);
    const errs = {
      ...(from === null ? { from: t(`validation.${dateProblem(draft.from)}`) } : {}),
      ...(to === null ? { to: t(`validation.${dateProblem(draft.to)}`) } : {}),
    };
    setDateErrors(errs);
    if (from === null || to === null) return;
    setFilters({ ...draft, from, to, username: draft.username.trim(), ip: draft.ip.trim() });
    setPage(1);
  };
  const clear = () => {
    setDateErrors({});
    setDraft(NO_SECURITY_FILTERS);
    setFilters(NO_SECURITY_FILTERS);
    setPage(1);
  };

  // Never a raw code on screen: a kind without a label (the labels test keeps this from happening) reads as "other event".
  const kindText = (code: string, part: 'label' | 'why') =>
    i18n.exists(`audit.security.kinds.${code}.${part}`) ? t(`audit.security.kinds.${code}.${part}`) : part === 'label' ? t('audit.security.other') : '—';
  const choices = SECURITY_EVENT_KINDS.map((k) => ({ value: k, label: kindText(k, 'label') })).sort((a, b) => a.label.localeCompare(b.label, i18n.language));
  const rows = list.data?.items ?? [];
  const fieldErrors = list.error instanceof ApiError ? list.error.fieldErrors() : {};
  const refused = Boolean(list.error) && Object.keys(fieldErrors).length === 0;

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('audit.security.title')} />
      <Stack gap="lg">
        <Text>{t('audit.security.intro')}</Text>

        <section aria-labelledby="security-search-heading">
          <Title order={3} size="h4" id="security-search-heading" mb="xs">
            {t('audit.security.searchHeading')}
          </Title>
          <form onSubmit={submit} noValidate>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
              <Select
                name="code"
                styles={inputStyles}
                label={t('audit.security.kind')}
                description={t('audit.security.kindHint')}
                placeholder={t('audit.security.anyKind')}
                data={choices}
                value={draft.code || null}
                onChange={(v) => setDraft({ ...draft, code: v ?? '' })}
                searchable
                clearable
                filter={byWords}
                nothingFoundMessage={t('common.noData')}
                comboboxProps={{ withinPortal: true }}
                error={fieldErrors.code}
              />
              <TextInput
                name="username"
                styles={inputStyles}
                label={t('audit.security.username')}
                description={t('audit.security.usernameHint')}
                value={draft.username}
                onChange={set('username')}
                autoComplete="off"
                error={fieldErrors.username}
              />
              <TextInput
                name="ip"
                styles={inputStyles}
                label={t('audit.security.ip')}
                description={t('audit.security.ipHint')}
                value={draft.ip}
                onChange={set('ip')}
                autoComplete="off"
                error={fieldErrors.ip}
              />
              <DateInput
                name="from"
                styles={inputStyles}
                label={t('audit.from')}
                description={t('audit.dateHint')}
                value={draft.from}
                onChange={(v) => setDraft({ ...draft, from: v })}
                error={dateErrors.from ?? fieldErrors.from}
              />
              <DateInput
                name="to"
                styles={inputStyles}
                label={t('audit.to')}
                description={t('audit.dateHint')}
                value={draft.to}
                onChange={(v) => setDraft({ ...draft, to: v })}
                error={dateErrors.to ?? fieldErrors.to}
              />
              <Group align="flex-end" gap="xs">
                <Button type="submit">{t('audit.search')}</Button>
                <Button type="button" variant="default" onClick={clear}>
                  {t('audit.clear')}
                </Button>
              </Group>
            </SimpleGrid>
          </form>
        </section>

        <section aria-labelledby="security-results-heading">
          <Title order={3} size="h4" id="security-results-heading" mb="xs">
            {t('audit.security.resultsHeading')}
          </Title>
          <ListPage
            error={refused ? (list.error instanceof ApiError ? list.error.problem.title : t('common.somethingWrong')) : null}
            caption={t('audit.security.results')}
            minWidth={1000}
            head={
              <>
                <Table.Th scope="col">{t('audit.security.col.when')}</Table.Th>
                <Table.Th scope="col">{t('audit.security.col.who')}</Table.Th>
                <Table.Th scope="col">{t('audit.security.col.ip')}</Table.Th>
                <Table.Th scope="col">{t('audit.security.col.what')}</Table.Th>
                <Table.Th scope="col">{t('audit.security.col.why')}</Table.Th>
              </>
            }
            columns={5}
            result={{ ...list, isError: refused }}
            paging={{ page, pageSize: PAGE_SIZE, onPage: setPage, label: t('audit.security.pager') }}
          >
            {rows.map((r) => {
              const typed = typedOf(r);
              return (
                <Table.Tr key={r.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{whenIst(r.at)}</Table.Td>
                  <Table.Td>
                    {r.userName || t('audit.security.nobody')}
                    {r.username && (
                      <Text size="xs" c={grey}>
                        {r.username}
                        {r.role ? ` · ${t(`common.roles.${r.role}`, { defaultValue: r.role })}` : ''}
                      </Text>
                    )}
                    {!r.username && typed && (
                      <Text size="xs" c={grey}>
                        {t('audit.security.typed', { username: typed })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Code>{r.ip || '—'}</Code>
                  </Table.Td>
                  <Table.Td>{kindText(r.code, 'label')}</Table.Td>
                  <Table.Td>{kindText(r.code, 'why')}</Table.Td>
                </Table.Tr>
              );
            })}
          </ListPage>
        </section>
      </Stack>
    </Paper>
  );
}
