import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MONEY_ROLES } from '../../shared/roles.ts';
import { api, ApiError } from '../lib/api.ts';
import { activeAssignment, useMe } from '../lib/session.ts';
import { formatTime } from './format.ts';

/** True when the logged-in role confirms money actions with a one-time code (bar A5: Finance, DDO, treasury officer, PD administrator). */
export function useNeedsStepUp(): boolean {
  const me = useMe();
  const a = activeAssignment(me.data);
  return Boolean(a && MONEY_ROLES.includes(a.role));
}

/**
 * The second factor inside a money action's dialog (bar A5): "Send code to my mobile", then the
 * 6-digit code. Renders nothing for roles that need no code. The code is bound to this login and
 * valid 10 minutes; a wrong or expired code comes back from the action itself as a field error.
 */
export function StepUpField({ value, onChange, error }: { value: string; onChange: (code: string) => void; error?: string | undefined }) {
  const { t, i18n } = useTranslation();
  const needed = useNeedsStepUp();
  const [sent, setSent] = useState<{ sentTo: string; expiresAt: string } | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!needed) return null;
  const send = async () => {
    setBusy(true);
    setSendError(null);
    try {
      setSent(await api<{ sentTo: string; expiresAt: string }>('POST', '/api/v1/auth/step-up'));
    } catch (e) {
      setSendError(e instanceof ApiError ? e.problem.title : t('errors.internal'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap={4}>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('common.stepUp.code')}
          description={t('common.stepUp.hint')}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          required
          error={error}
          data-testid="step-up-code"
        />
        <Button variant="light" onClick={send} loading={busy} data-testid="step-up-send">
          {sent ? t('common.stepUp.resend') : t('common.stepUp.send')}
        </Button>
      </Group>
      {sent && (
        <Text size="sm" data-testid="step-up-sent">
          {t('common.stepUp.sent', { to: sent.sentTo, until: formatTime(sent.expiresAt, i18n.language) })}
        </Text>
      )}
      {sendError && (
        <Text size="sm" c="red.8" role="alert">
          {sendError}
        </Text>
      )}
    </Stack>
  );
}
