import { Anchor, Box, Button, Container, Group, Select, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useRouterState } from '@tanstack/react-router';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, todayIst } from '../../shared/domain/dates.ts';
import { HELP_EMAIL, HELP_PHONE, HELP_PHONE_TEL } from '../features/site/contact.ts';
import { StateMark } from './StateMark.tsx';
import type { TMe } from '../../shared/contracts/auth.ts';
import { api } from '../lib/api.ts';
import { currentNavEntry, type NavItem } from '../lib/nav.ts';
import { scopePlace } from '../lib/scope.ts';
import { activeAssignment, can, useMe, useSetMe } from '../lib/session.ts';
import { NAV } from '../nav.ts';

const SCALES = [0.875, 1, 1.125, 1.25];

/** GIGW 3.0 footer: the site's own pages, open without a login (web/features/site). */
const FOOTER_LINKS = [
  { to: '/accessibility-statement', label: 'site.pages.accessibility.title' },
  { to: '/terms-of-use', label: 'site.pages.terms.title' },
  { to: '/privacy-policy', label: 'site.pages.privacy.title' },
  { to: '/help', label: 'site.pages.help.title' },
  { to: '/sitemap', label: 'site.pages.sitemap.title' },
];

/** "Last updated": the day the web app was built (vite.config.ts), in IST; today when run without a build (tests of the source). */
const BUILD_DATE = typeof __ROAMS_BUILD_DATE__ === 'string' ? __ROAMS_BUILD_DATE__ : todayIst();

/** Accessibility bar: skip link, text size, high contrast, language (GIGW 3.0). */
function AccessBar() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const [scale, setScale] = useState(() => Number(localStorage.getItem('roams_scale') ?? 1));
  const [contrast, setContrast] = useState(() => localStorage.getItem('roams_contrast') === 'high');
  useEffect(() => {
    document.documentElement.style.setProperty('--roams-text-scale', String(scale));
    localStorage.setItem('roams_scale', String(scale));
  }, [scale]);
  useEffect(() => {
    if (contrast) document.documentElement.setAttribute('data-contrast', 'high');
    else document.documentElement.removeAttribute('data-contrast');
    localStorage.setItem('roams_contrast', contrast ? 'high' : 'normal');
  }, [contrast]);
  const step = (d: number) => setScale((s) => SCALES[Math.min(SCALES.length - 1, Math.max(0, SCALES.indexOf(s) + d))] ?? 1);
  const switchLang = async (lng: 'hi' | 'en') => {
    await i18n.changeLanguage(lng);
    if (me) await api('PUT', '/api/v1/auth/locale', { locale: lng }).catch(() => undefined);
  };
  return (
    <div className="roams-topbar">
      <Container size="xl" py={4}>
        <Group justify="space-between" gap="xs">
          <a className="roams-skip" href="#main">
            {t('common.skipToMain')}
          </a>
          <Text size="xs" c="white">
            {t('common.stateName')}
          </Text>
          <Group gap={6} role="group" aria-label={t('common.textSize')}>
            <button type="button" onClick={() => step(-1)} aria-label={t('common.textSmaller')}>
              A-
            </button>
            <button type="button" onClick={() => setScale(1)} aria-label={t('common.textNormal')}>
              A
            </button>
            <button type="button" onClick={() => step(1)} aria-label={t('common.textLarger')}>
              A+
            </button>
            <button type="button" aria-pressed={contrast} onClick={() => setContrast((c) => !c)}>
              {t('common.highContrast')}
            </button>
            <button type="button" lang="hi" aria-pressed={i18n.language === 'hi'} onClick={() => switchLang('hi')}>
              हिन्दी
            </button>
            <button type="button" lang="en" aria-pressed={i18n.language === 'en'} onClick={() => switchLang('en')}>
              English
            </button>
          </Group>
        </Group>
      </Container>
    </div>
  );
}

function RoleSwitcher({ me }: { me: TMe }) {
  const { t, i18n } = useTranslation();
  const setMe = useSetMe();
  const qc = useQueryClient();
  if (me.assignments.length < 2) return null;
  return (
    <Select
      size="xs"
      w={320}
      // A role's place can be long ("… — Commissioner, Institutional Finance, Bhopal (79)"): the
      // field cuts it, so the list opens as wide as its longest choice (the header's "Acting as"
      // line shows the chosen one whole).
      comboboxProps={{ width: 'max-content', position: 'bottom-end' }}
      label={t('common.switchRole')}
      placeholder={t('common.switchRolePlaceholder')}
      value={me.activeAssignmentId ? String(me.activeAssignmentId) : null}
      data={me.assignments.map((a) => ({
        value: String(a.id),
        label: `${t(`common.roles.${a.role}`)} — ${scopePlace(a, i18n.language, t) ?? t(`common.scopes.${a.scopeKind}`)}`,
      }))}
      onChange={async (v) => {
        if (!v) return;
        const next = await api<TMe>('POST', '/api/v1/auth/switch', { assignmentId: Number(v) });
        setMe(next);
        await qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      }}
      allowDeselect={false}
    />
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const setMe = useSetMe();
  const navigate = useNavigate();
  const a = activeAssignment(me);
  const place = a ? scopePlace(a, i18n.language, t) : null;
  const items: NavItem[] = me ? NAV.filter((n) => can(me, n.permission)) : [];
  const current = currentNavEntry(items, useRouterState({ select: (s) => s.location.pathname }));
  const logout = async () => {
    await api('POST', '/api/v1/auth/logout').catch(() => undefined);
    setMe(null);
    await navigate({ to: '/login' });
  };
  return (
    <>
      <AccessBar />
      <header className="roams-header">
        <Container size="xl" py="sm">
          <Group justify="space-between" wrap="wrap">
            <Group gap="sm" wrap="nowrap">
              <StateMark />
              <Box>
                <h1>
                  {t('common.appName')} — {t('common.appFullName')}
                </h1>
                <Text size="sm" c="dark.6" data-testid="department-identity">
                  {t('common.department')}, {t('common.stateName')}
                </Text>
              </Box>
            </Group>
            {me && (
              <Group gap="sm" align="flex-end">
                <Box>
                  <Text size="sm" fw={600}>
                    {t('common.welcome', { name: me.user.name })}
                  </Text>
                  {a && (
                    <Text size="xs" c="dark.6">
                      {t('common.actingAs')}: {t(`common.roles.${a.role}`)}
                      {place ? ` — ${place}` : ''}
                    </Text>
                  )}
                </Box>
                <RoleSwitcher me={me} />
                <Button variant="outline" size="xs" onClick={logout}>
                  {t('common.logout')}
                </Button>
              </Group>
            )}
          </Group>
        </Container>
      </header>
      {me && (
        <nav className="roams-nav" aria-label={t('common.menu')}>
          <Container size="xl">
            <Link to="/" activeOptions={{ exact: true }}>
              {t('common.home')}
            </Link>
            {items.map((n, i) => (
              <Link
                key={n.to}
                to={n.to}
                activeOptions={{ exact: n.to !== current }}
                // The first entry of an area of work (web/nav.ts) gets a rule before it (theme.css).
                data-area-start={i > 0 && n.area !== items[i - 1]?.area ? '' : undefined}
              >
                {t(n.label)}
              </Link>
            ))}
            <Link to="/profile">{t('common.yourProfile')}</Link>
            <Link to="/change-password">{t('common.changePassword')}</Link>
          </Container>
        </nav>
      )}
      <Container size="xl" py="md" component="main" id="main" tabIndex={-1}>
        {children}
      </Container>
      <footer className="roams-footer">
        <Container size="xl" py="md">
          <nav aria-label={t('site.links')}>
            <Group gap="md" mb="xs">
              {FOOTER_LINKS.map((l) => (
                <Anchor key={l.to} component={Link} to={l.to} c="white" size="sm">
                  {t(l.label)}
                </Anchor>
              ))}
            </Group>
          </nav>
          <Text size="sm">{t('common.footerNote')}</Text>
          <Text size="sm">
            <Anchor href={`mailto:${HELP_EMAIL}`} c="white" size="sm">
              {t('site.helpEmail', { email: HELP_EMAIL })}
            </Anchor>{' '}
            ·{' '}
            <Anchor href={`tel:${HELP_PHONE_TEL}`} c="white" size="sm">
              {t('site.helpPhone', { phone: HELP_PHONE })}
            </Anchor>
          </Text>
          <Text size="sm">
            <span data-testid="last-updated">{t('common.lastUpdated', { date: formatDate(BUILD_DATE) })}</span> ·{' '}
            <Anchor href="/dev/outbox" c="white">
              {t('common.devOutbox')}
            </Anchor>
          </Text>
        </Container>
      </footer>
    </>
  );
}
