import { Anchor, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { AREAS } from '../../lib/features.ts';
import { can, useMe } from '../../lib/session.ts';
import { NAV } from '../../nav.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';

/** The signed-in user's desk: the pages the role may open, grouped by area of work as the menu is. */
export function HomePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const items = NAV.filter((n) => can(me, n.permission));
  return (
    <>
      <PageTitle title={t('common.dashboard')} />
      <Text mb="md">{t('common.welcome', { name: me?.user.name ?? '' })}</Text>
      {AREAS.map((area) => {
        const inArea = items.filter((n) => n.area === area);
        if (inArea.length === 0) return null;
        return (
          <section key={area} aria-labelledby={`area-${area}`}>
            <Title order={3} id={`area-${area}`} size="h4" mt="lg" mb="sm">
              {t(`common.areas.${area}`)}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
              {inArea.map((n) => (
                <Paper key={n.to} withBorder p="md">
                  <Anchor component={Link} to={n.to} fw={600}>
                    {t(n.label)}
                  </Anchor>
                </Paper>
              ))}
            </SimpleGrid>
          </section>
        );
      })}
    </>
  );
}
