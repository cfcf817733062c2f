import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatInt } from './format.ts';

/** Previous / next paging for a server-paged list, with the page and record count read out. */
export function Pager({ page, pageSize, total, onPage, label }: { page: number; pageSize: number; total: number; onPage: (p: number) => void; label: string }) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <Group justify="space-between" mt="sm" component="nav" aria-label={label}>
      <Text size="sm" aria-live="polite">
        {t('common.page', { page: formatInt(page), pages: formatInt(pages) })} · {t('common.total', { count: total, replace: { count: formatInt(total) } })}
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
