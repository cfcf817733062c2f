import '@mantine/core/styles.css';
import './ui/theme.css';
import { i18nReady } from './lib/i18n.ts';
import { MantineProvider, createTheme, Loader, Center } from '@mantine/core';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Navigate, Outlet, RouterProvider, createRootRoute, createRoute, createRouter, useRouterState } from '@tanstack/react-router';
import { type ComponentType, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import type { TPermission } from '../shared/permissions.ts';
import { HomePage } from './features/auth/HomePage.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { ApiError } from './lib/api.ts';
import { FEATURES } from './lib/features.ts';
import { can, meKey, useMe } from './lib/session.ts';
import { lazyPage, type PageDef } from './lib/routes.ts';
import { ErrorPage } from './ui/ErrorPage.tsx';
import { Shell } from './ui/Shell.tsx';

// Bar W3: the login and home pages come with the first load; every other page is its own chunk.
const ChangePasswordPage = lazyPage(
  () => import('./features/auth/ChangePasswordPage.tsx'),
  (m) => m.ChangePasswordPage,
);
const ChooseRolePage = lazyPage(
  () => import('./features/auth/ChooseRolePage.tsx'),
  (m) => m.ChooseRolePage,
);
const ForgotPasswordPage = lazyPage(
  () => import('./features/auth/ForgotPasswordPage.tsx'),
  (m) => m.ForgotPasswordPage,
);
const ProfilePage = lazyPage(
  () => import('./features/auth/ProfilePage.tsx'),
  (m) => m.ProfilePage,
);
const OutboxPage = lazyPage(
  () => import('./features/dev/OutboxPage.tsx'),
  (m) => m.OutboxPage,
);

const theme = createTheme({
  primaryColor: 'navy',
  colors: {
    navy: ['#e7eef6', '#c9d8ea', '#9fbbdb', '#729ccb', '#4b80bd', '#2f6cb3', '#1f5a9c', '#154a82', '#0b3d6e', '#062a4d'],
  },
  primaryShade: 8,
  fontFamily: "'Noto Sans', 'Noto Sans Devanagari', 'Lohit Devanagari', system-ui, sans-serif",
  defaultRadius: 'sm',
  // A user who asked the system for less motion gets dialogs and menus without their fade and
  // slide (WCAG 2.3.3); the journeys ask for it too (playwright.config.ts), so no step waits on one.
  respectReducedMotion: true,
});

/** WCAG AA contrast on white for Mantine's error, description and placeholder text everywhere
 * (its defaults, red.6 / gray.6, fall below 4.5:1). */
const aaColours = () => ({
  variables: {},
  light: { '--mantine-color-error': '#c92a2a', '--mantine-color-dimmed': '#495057', '--mantine-color-placeholder': '#616161' },
  dark: {},
});

/** Pages that need a logged-in user who has changed the password and picked a role. */
function Guard({ permission, component: C }: { permission: TPermission | 'session' | 'any'; component: ComponentType }) {
  const { t } = useTranslation();
  const { data: me, isLoading } = useMe();
  const path = useRouterState({ select: (s) => s.location.pathname });
  if (isLoading)
    return (
      <Center py="xl">
        <Loader role="status" aria-label={t('common.loading')} />
      </Center>
    );
  if (!me) return <Navigate to="/login" />;
  if (me.mustChangePassword && path !== '/change-password') return <Navigate to="/change-password" />;
  if (permission !== 'session' && !me.activeAssignmentId && path !== '/choose-role') return <Navigate to="/choose-role" />;
  if (permission !== 'session' && permission !== 'any' && !can(me, permission))
    return <ErrorPage color="red" title={t('common.forbiddenTitle')} message={t('errors.forbidden')} />;
  return <C />;
}

function NotFound() {
  const { t } = useTranslation();
  return <ErrorPage color="yellow" title={t('common.notFoundTitle')} message={t('common.notFoundPage')} />;
}

const root = createRootRoute({
  component: () => (
    <Shell>
      <Outlet />
    </Shell>
  ),
  notFoundComponent: NotFound,
});
/** While a page's chunk loads (the first visit only). */
function PageLoading() {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Loader role="status" aria-label={t('common.loading')} />
    </Center>
  );
}
const page = (path: string, C: ComponentType, permission: TPermission | 'session' | 'any' | 'public') =>
  createRoute({
    getParentRoute: () => root,
    path,
    component: () => <Suspense fallback={<PageLoading />}>{permission === 'public' ? <C /> : <Guard permission={permission} component={C} />}</Suspense>,
  });
const featurePages: PageDef[] = FEATURES.flatMap((f) => f.pages);
const routeTree = root.addChildren([
  page('/', HomePage, 'any'),
  page('/login', LoginPage, 'public'),
  page('/forgot-password', ForgotPasswordPage, 'public'),
  page('/dev/outbox', OutboxPage, 'public'),
  page('/change-password', ChangePasswordPage, 'session'),
  page('/choose-role', ChooseRolePage, 'session'),
  page('/profile', ProfilePage, 'session'),
  ...featurePages.map((p) => page(p.path, p.component, p.permission)),
]);
const router = createRouter({ routeTree });
// Routes are assembled from feature page lists, so paths are plain strings (no Register).

/**
 * A 401 on any call means the session is over (logout in another tab, idle or absolute limit,
 * password changed elsewhere): forget everything cached for the old session and let the Guard
 * send the person to the login page, instead of leaving a page that waits for ever.
 */
function onApiError(e: unknown) {
  if (e instanceof ApiError && e.problem.status === 401 && queryClient.getQueryData(meKey)) {
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
    queryClient.setQueryData(meKey, null);
  }
}
const queryClient: QueryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
});

// The page renders once its language's catalogs are in (web/lib/i18n.ts).
void i18nReady.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={aaColours}>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  ),
);
