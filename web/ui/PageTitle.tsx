import { Anchor, Breadcrumbs, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** The page's one <h2>, its breadcrumbs, and the document title. */
export function PageTitle({ title, crumbs = [] }: { title: string; crumbs?: { label: string; to: string }[] }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} — ${t('common.appName')}`;
  }, [title, t]);
  return (
    <>
      <nav aria-label={t('common.breadcrumb')}>
        <Breadcrumbs mb="xs">
          <Anchor component={Link} to="/" size="sm">
            {t('common.home')}
          </Anchor>
          {crumbs.map((c) => (
            <Anchor key={c.to} component={Link} to={c.to} size="sm">
              {c.label}
            </Anchor>
          ))}
          <span aria-current="page" style={{ fontSize: 'var(--mantine-font-size-sm)' }}>
            {title}
          </span>
        </Breadcrumbs>
      </nav>
      <Title order={2} mb="md">
        {title}
      </Title>
    </>
  );
}
