import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatInt } from './format.ts';

/**
 * Previous / next paging for a server-paged list, with the page and record count read out.
 * `capped`: more records match than the server counted (the audit trail counts at most 10,000):
 * the count reads "more than …" and the pages stop there — the user narrows the search.
 */
export function Pager({
  page,
  pageSize,
  total,
  capped = false,
  onPage,
  label,
}: {
  page: number;
  pageSize: number;
  total: number;
  capped?: boolean;
  onPage: (p: number) => void;
  label: string;
}) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const count = capped ? t('common.totalMoreThan', { count: formatInt(total) }) : t('common.total', { count: total, replace: { count: formatInt(total) } });
  return (
    <Group justify="space-between" mt="sm" component="nav" aria-label={label}>
      <Text size="sm" aria-live="polite">
        {t(capped ? 'common.pageOfMore' : 'common.page', { page: formatInt(page), pages: formatInt(pages) })} · {count}
      </Text>
      <Group gap="xs">
        <Button size="xs" variant="default" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          {t('common.prev')}
        </Button>
        <Button size="xs" variant="default" disabled={page >= pages} onClick={() => onPage(page + 1)}>
          {t('common.next')}
        </Button>
      </Group>
    </Group>
  );
}
