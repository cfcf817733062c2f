import { Anchor, Paper, SimpleGrid, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { MASTER_CONFIGS } from './masters.ts';

/** The list of organisation masters. */
export function MastersHome() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('org.title')} />
      <Text mb="md">{t('org.intro')}</Text>
      <nav aria-label={t('org.title')}>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {[...MASTER_CONFIGS.map((c) => ({ to: `/masters/${c.path}`, key: c.master })), { to: '/masters/state-settings', key: 'state-settings' }].map((m) => (
            <li key={m.to}>
              <Paper withBorder p="md" h="100%">
                <Anchor component={Link} to={m.to} fw={700}>
                  {t(`org.masters.${m.key}`)}
                </Anchor>
                <Text size="sm" mt={4}>
                  {t(`org.about.${m.key}`)}
                </Text>
              </Paper>
            </li>
          ))}
        </SimpleGrid>
      </nav>
    </Paper>
  );
}
