import { Alert, Anchor, Button, Fieldset, Group, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MOBILE_RE, USERNAME_RE } from '../../../shared/domain/validators.ts';
import { api } from '../../lib/api.ts';
import { NewPasswordFields, newPasswordProblems } from '../../ui/NewPasswordFields.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { particularsForm } from './api.ts';
import { ParticularsForm, useParticulars } from './ParticularsForm.tsx';

/**
 * Public agency sign-up (spec 03): the mobile number → a code by SMS → the particulars, the
 * documents, a user id and password. Everything is saved at once, or nothing.
 */
export function SignupPage() {
  const { t } = useTranslation();
  const [mobile, setMobile] = useState('');
  const [requestId, setRequestId] = useState<string | null>(null);
  const [otp, setOtp] = useState('');
  const [username, setUsername] = useState('');
  const [pw, setPw] = useState('');
  const [pw2, setPw2] = useState('');
  const { value, setValue, files, errors, setErrors, formProps, problems, problem, setProblem, busy, accept, send } = useParticulars();
  const [done, setDone] = useState<{ username: string } | null>(null);

  const sendCode = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (!MOBILE_RE.test(mobile.trim())) {
      setErrors({ mobile: t('validation.mobile_format') });
      return;
    }
    setErrors({});
    await send(async () => {
      const r = await api<{ requestId: string }>('POST', '/api/v1/agency-signup/otp', { mobile: mobile.trim() });
      setRequestId(r.requestId);
      setValue((v) => ({ ...v, mobile: mobile.trim() }));
    });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const codes = { ...(await problems()), ...newPasswordProblems(pw, pw2, 'password') };
    if (!/^[0-9]{6}$/.test(otp)) codes.otp = 'invalid_format';
    if (!USERNAME_RE.test(username.trim())) codes.username = 'invalid_format';
    if (!accept(codes)) return;
    await send(async () => {
      setDone(
        await api<{ username: string }>(
          'POST',
          '/api/v1/agency-signup',
          particularsForm(value, files, { requestId: requestId!, otp, username: username.trim(), password: pw }),
        ),
      );
    });
  };

  return (
    <Paper withBorder p="lg" maw={960} mx="auto">
      <PageTitle title={t('agency.signup.title')} />
      {problem && (
        <Alert color="red" role="alert" mb="sm">
          {problem}
        </Alert>
      )}
      {done ? (
        <Stack>
          <Alert color="green" role="status">
            {t('agency.signup.done', { username: done.username })}
          </Alert>
          <Anchor component={Link} to="/login">
            {t('auth.login')}
          </Anchor>
        </Stack>
      ) : !requestId ? (
        <form onSubmit={sendCode} noValidate>
          <Stack maw={480}>
            <Text>{t('agency.signup.intro')}</Text>
            <TextInput
              label={t('agency.field.mobile')}
              name="mobile"
              inputMode="tel"
              autoComplete="tel-national"
              required
              value={mobile}
              onChange={(e) => setMobile(e.currentTarget.value)}
              error={errors.mobile}
              description={t('agency.signup.mobileHint')}
            />
            <Group>
              <Button type="submit" loading={busy}>
                {t('agency.signup.sendCode')}
              </Button>
              <Anchor component={Link} to="/login">
                {t('common.back')}
              </Anchor>
            </Group>
          </Stack>
        </form>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Alert color="blue" role="status">
              {t('agency.signup.codeSent', { mobile: `XXXXXX${mobile.trim().slice(-4)}` })}
            </Alert>
            <TextInput
              label={t('auth.otp')}
              name="otp"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              required
              maw={240}
              value={otp}
              onChange={(e) => setOtp(e.currentTarget.value.replace(/\D/g, ''))}
              error={errors.otp}
            />
            <ParticularsForm {...formProps} />
            <Fieldset legend={t('agency.signup.account')}>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput
                  label={t('auth.username')}
                  name="username"
                  autoComplete="username"
                  required
                  value={username}
                  onChange={(e) => setUsername(e.currentTarget.value)}
                  error={errors.username}
                  description={t('agency.signup.usernameHint')}
                />
                <NewPasswordFields
                  name="password"
                  value={pw}
                  confirm={pw2}
                  onChange={setPw}
                  onConfirm={setPw2}
                  error={errors.password}
                  confirmError={errors.confirm}
                />
              </SimpleGrid>
            </Fieldset>
            <Group>
              <Button type="submit" loading={busy}>
                {t('agency.signup.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Paper>
  );
}
