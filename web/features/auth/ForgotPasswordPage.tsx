import { Alert, Anchor, Button, Paper, Stack, Text, TextInput } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../lib/api.ts';
import { NewPasswordFields, newPasswordProblems } from '../../ui/NewPasswordFields.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import './auth.css';

/** Manual section 6: user id → code by SMS to the registered mobile → new password. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [requestId, setRequestId] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [pw, setPw] = useState('');
  const [pw2, setPw2] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const request = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ requestId: string }>('POST', '/api/v1/auth/forgot', { username });
      setRequestId(r.requestId);
    } catch (err) {
      setError(err instanceof ApiError ? err : null);
    } finally {
      setBusy(false);
    }
  };
  const reset = async (e: FormEvent) => {
    e.preventDefault();
    const l = Object.fromEntries(Object.entries(newPasswordProblems(pw, pw2)).map(([k, c]) => [k, t(`validation.${c}`)]));
    setLocal(l);
    if (Object.keys(l).length) return;
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/v1/auth/reset', { requestId, code, newPassword: pw });
      setDone(true);
    } catch (err) {
      setError(err instanceof ApiError ? err : null);
    } finally {
      setBusy(false);
    }
  };
  const fe = { ...(error?.fieldErrors() ?? {}), ...local };
  return (
    <Paper withBorder p="lg" maw={520} mx="auto" className="roams-auth">
      <PageTitle title={t('auth.forgotTitle')} />
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error.problem.title}
        </Alert>
      )}
      {done ? (
        <Stack>
          <Alert color="green" role="status">
            {t('auth.resetDone')}
          </Alert>
          <Anchor component={Link} to="/login">
            {t('auth.login')}
          </Anchor>
        </Stack>
      ) : !requestId ? (
        <form onSubmit={request} noValidate>
          <Stack>
            <Text>{t('auth.forgotHelp')}</Text>
            <TextInput
              label={t('auth.username')}
              name="username"
              required
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              error={fe.username}
            />
            <Button type="submit" loading={busy}>
              {t('common.submit')}
            </Button>
            <Anchor component={Link} to="/login">
              {t('common.back')}
            </Anchor>
          </Stack>
        </form>
      ) : (
        <form onSubmit={reset} noValidate>
          <Stack>
            <Alert color="blue" role="status">
              {t('auth.forgotSent')}
            </Alert>
            <TextInput
              label={t('auth.otp')}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              required
              value={code}
              onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
              error={fe.code}
            />
            <NewPasswordFields value={pw} confirm={pw2} onChange={setPw} onConfirm={setPw2} error={fe.newPassword} confirmError={fe.confirm} />
            <Button type="submit" loading={busy}>
              {t('auth.resetTitle')}
            </Button>
          </Stack>
        </form>
      )}
    </Paper>
  );
}
