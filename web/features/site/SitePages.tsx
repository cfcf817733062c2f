import { Anchor, List, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { can, useMe } from '../../lib/session.ts';
// FEATURES, not NAV: this file is itself loaded by the feature registry, so it reads the registry only when rendering (no top-level use in the import cycle).
import { FEATURES } from '../../lib/features.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { HELP_EMAIL, HELP_PHONE, HELP_PHONE_TEL } from './contact.ts';

/** The simple content pages every government site links from its footer (GIGW 3.0): open to everyone, no login. */
export const CONTENT_PAGES = [
  { path: '/accessibility-statement', key: 'accessibility' },
  { path: '/terms-of-use', key: 'terms' },
  { path: '/privacy-policy', key: 'privacy' },
  { path: '/help', key: 'help' },
] as const;

type ContentKey = (typeof CONTENT_PAGES)[number]['key'];

function ContentPage({ name }: { name: ContentKey }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="lg" maw={900}>
      <PageTitle title={t(`site.pages.${name}.title`)} />
      <Stack gap="sm">
        {(['p1', 'p2', 'p3'] as const).map((p) => (
          <Text key={p}>{t(`site.pages.${name}.${p}`)}</Text>
        ))}
        {name === 'help' && (
          <List>
            <List.Item>
              <Anchor href={`mailto:${HELP_EMAIL}`}>{t('site.helpEmail', { email: HELP_EMAIL })}</Anchor>
            </List.Item>
            <List.Item>
              <Anchor href={`tel:${HELP_PHONE_TEL}`}>{t('site.helpPhone', { phone: HELP_PHONE })}</Anchor>
            </List.Item>
          </List>
        )}
      </Stack>
    </Paper>
  );
}

export const AccessibilityPage = () => <ContentPage name="accessibility" />;
export const TermsPage = () => <ContentPage name="terms" />;
export const PrivacyPage = () => <ContentPage name="privacy" />;
export const HelpPage = () => <ContentPage name="help" />;

/** Every page the current user can reach: the public pages, and (logged in) home, the menu entries the role's permissions allow, profile and password. */
export function SitemapPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const publicPages = [
    ...(me ? [] : [{ to: '/login', label: t('auth.loginTitle') }]),
    ...CONTENT_PAGES.map((p) => ({ to: p.path, label: t(`site.pages.${p.key}.title`) })),
    { to: '/sitemap', label: t('site.pages.sitemap.title') },
  ];
  const mine = me
    ? [
        { to: '/', label: t('common.home') },
        ...FEATURES.flatMap((f) => f.nav)
          .filter((n) => can(me, n.permission))
          .map((n) => ({ to: n.to, label: t(n.label) })),
        { to: '/profile', label: t('common.yourProfile') },
        { to: '/change-password', label: t('common.changePassword') },
      ]
    : [];
  const section = (id: string, title: string, links: { to: string; label: string }[]) => (
    <section aria-labelledby={id}>
      <Title order={3} size="h4" id={id} mb="xs">
        {title}
      </Title>
      <List>
        {links.map((l) => (
          <List.Item key={l.to}>
            <Anchor component={Link} to={l.to}>
              {l.label}
            </Anchor>
          </List.Item>
        ))}
      </List>
    </section>
  );
  return (
    <Paper withBorder p="lg" maw={900}>
      <PageTitle title={t('site.pages.sitemap.title')} />
      <Text mb="md">{t('site.pages.sitemap.intro')}</Text>
      <Stack>
        {mine.length > 0 && section('sitemap-yours', t('site.pages.sitemap.yours'), mine)}
        {section('sitemap-public', t('site.pages.sitemap.public'), publicPages)}
      </Stack>
    </Paper>
  );
}
