import { Anchor, List, Paper, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../lib/bilingual.ts';
import { formatInt } from '../../ui/format.ts';
import { ListPage, serialNo } from '../../ui/ListPage.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { useGhosts } from './api.ts';
import { ResourceStatusTag } from './ResourcesPage.tsx';

const PAGE_SIZE = 25;

/** Possible ghosts: one bank account or mobile on two or more active resources (departments and Finance). */
export function GhostsPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const [page, setPage] = useState(1);
  const ghosts = useGhosts(page, PAGE_SIZE);
  const { data } = ghosts;
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('resource.ghosts.title')} crumbs={[{ label: t('resource.title'), to: '/resources' }]} />
      <Text size="sm" mb="md">
        {t('resource.ghosts.intro')}
      </Text>
      <ListPage
        error={ghosts.error?.message}
        caption={t('resource.ghosts.caption')}
        minWidth={800}
        head={
          <>
            <Table.Th>{t('common.sno')}</Table.Th>
            <Table.Th>{t('resource.ghosts.kind')}</Table.Th>
            <Table.Th>{t('resource.ghosts.value')}</Table.Th>
            <Table.Th>{t('resource.ghosts.resources')}</Table.Th>
          </>
        }
        columns={4}
        result={ghosts}
        paging={{ page, pageSize: PAGE_SIZE, onPage: setPage, label: t('resource.ghosts.caption') }}
      >
        {data?.items.map((g, i) => (
          <Table.Tr key={`${g.kind}-${g.value}`} data-testid="ghost-row">
            <Table.Td>{formatInt(serialNo(data, i))}</Table.Td>
            <Table.Td>{t(`resource.ghosts.kinds.${g.kind}`)}</Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{g.value}</Table.Td>
            <Table.Td>
              <List size="sm" spacing={4}>
                {g.resources.map((x) => (
                  <List.Item key={x.id}>
                    <Anchor component={Link} to={`/resources/${x.id}`} size="sm" underline="always">
                      {name(x.nameEn, x.nameHi)}
                    </Anchor>{' '}
                    — {x.agencyName} <ResourceStatusTag status={x.status} />
                  </List.Item>
                ))}
              </List>
            </Table.Td>
          </Table.Tr>
        ))}
      </ListPage>
    </Paper>
  );
}
