import { Alert, Button, Paper, PasswordInput, Stack } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TMe } from '../../../shared/contracts/auth.ts';
import { api, ApiError } from '../../lib/api.ts';
import { useMe, useSetMe } from '../../lib/session.ts';
import { NewPasswordFields, newPasswordProblems } from '../../ui/NewPasswordFields.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import './auth.css';

/** Manual section 3: current, new and confirmation. Forced at first login. */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const setMe = useSetMe();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [pw, setPw] = useState('');
  const [pw2, setPw2] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const codes = newPasswordProblems(pw, pw2);
    if (!current) codes.currentPassword = 'required';
    const l = Object.fromEntries(Object.entries(codes).map(([k, c]) => [k, t(`validation.${c}`)]));
    setLocal(l);
    if (Object.keys(l).length) return;
    setBusy(true);
    setError(null);
    try {
      const next = await api<TMe>('POST', '/api/v1/auth/change-password', { currentPassword: current, newPassword: pw });
      const wasForced = me?.mustChangePassword;
      setMe(next);
      setDone(true);
      setCurrent('');
      setPw('');
      setPw2('');
      if (wasForced) await navigate({ to: next.activeAssignmentId ? '/' : '/choose-role' });
    } catch (err) {
      setError(err instanceof ApiError ? err : null);
    } finally {
      setBusy(false);
    }
  };
  const fe = { ...(error?.fieldErrors() ?? {}), ...local };
  return (
    <Paper withBorder p="lg" maw={520} className="roams-auth">
      <PageTitle title={t('auth.changeTitle')} />
      <form onSubmit={submit} noValidate>
        <Stack>
          {me?.mustChangePassword && (
            <Alert color="yellow" role="status">
              {t('auth.mustChange')}
            </Alert>
          )}
          {done && (
            <Alert color="green" role="status">
              {t('auth.changed')}
            </Alert>
          )}
          {error && (
            <Alert color="red" role="alert">
              {error.problem.title}
            </Alert>
          )}
          <PasswordInput
            label={t('auth.currentPassword')}
            name="currentPassword"
            autoComplete="current-password"
            required
            aria-invalid={fe.currentPassword ? true : undefined}
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            error={fe.currentPassword}
          />
          <NewPasswordFields value={pw} confirm={pw2} onChange={setPw} onConfirm={setPw2} error={fe.newPassword} confirmError={fe.confirm} />
          <Button type="submit" loading={busy}>
            {t('auth.changeTitle')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
