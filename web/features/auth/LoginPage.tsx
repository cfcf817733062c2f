import { Alert, Anchor, Button, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TMe } from '../../../shared/contracts/auth.ts';
import { api, ApiError } from '../../lib/api.ts';
import { useSetMe } from '../../lib/session.ts';

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const setMe = useSetMe();
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = `${t('auth.loginTitle')} — ${t('common.appName')}`;
  }, [t]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const me = await api<TMe>('POST', '/api/v1/auth/login', { username, password });
      setMe(me);
      if (me.user.locale !== i18n.language) {
        // A language picked on this browser wins and is remembered for the user; otherwise
        // (a browser that never picked one) the user's remembered language comes back.
        const pickedHere = /(?:^|; )roams_lang=/.test(document.cookie) || localStorage.getItem('roams_lang') !== null;
        if (pickedHere) await api('PUT', '/api/v1/auth/locale', { locale: i18n.language }).catch(() => undefined);
        else await i18n.changeLanguage(me.user.locale);
      }
      await navigate({ to: me.mustChangePassword ? '/change-password' : me.activeAssignmentId ? '/' : '/choose-role' });
    } catch (err) {
      setError(err instanceof ApiError ? err : null);
    } finally {
      setBusy(false);
    }
  };
  const fe = error?.fieldErrors() ?? {};
  return (
    <Paper withBorder p="lg" maw={440} mx="auto" mt="lg" component="section" aria-labelledby="login-title">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} id="login-title">
            {t('auth.loginTitle')}
          </Title>
          {error && (
            <Alert color="red" role="alert">
              {error.problem.title}
            </Alert>
          )}
          <TextInput
            label={t('auth.username')}
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            error={fe.username}
          />
          <PasswordInput
            label={t('auth.password')}
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={fe.password}
          />
          <Button type="submit" loading={busy}>
            {t('auth.login')}
          </Button>
          <Anchor component={Link} to="/forgot-password">
            {t('auth.forgotPassword')}
          </Anchor>
          <Anchor component={Link} to="/agency-signup">
            {t('agency.signup.link')}
          </Anchor>
          <Anchor component={Link} to="/calculator">
            {t('calculator.link')}
          </Anchor>
        </Stack>
      </form>
    </Paper>
  );
}
