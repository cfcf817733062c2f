import { PasswordInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { passwordLengthProblem } from '../../shared/domain/validators.ts';

/**
 * The `validation.*` codes of a new password before it is sent (the server checks again): its
 * length under `field`, and a confirmation that differs under `confirm`.
 */
export function newPasswordProblems(pw: string, pw2: string, field = 'newPassword'): Record<string, string> {
  const codes: Record<string, string> = {};
  const p = passwordLengthProblem(pw);
  if (p) codes[field] = p;
  if (pw !== pw2) codes.confirm = 'password_mismatch';
  return codes;
}

/** "New password" (with the rules) and "Confirm password", as every form that sets a password shows them. */
export function NewPasswordFields({
  name = 'newPassword',
  value,
  confirm,
  onChange,
  onConfirm,
  error,
  confirmError,
}: {
  name?: string;
  value: string;
  confirm: string;
  onChange: (v: string) => void;
  onConfirm: (v: string) => void;
  error?: string;
  confirmError?: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <PasswordInput
        label={t('auth.newPassword')}
        name={name}
        autoComplete="new-password"
        description={t('auth.passwordRules')}
        required
        aria-invalid={error ? true : undefined}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={error}
      />
      <PasswordInput
        label={t('auth.confirmPassword')}
        name="confirmPassword"
        autoComplete="new-password"
        required
        aria-invalid={confirmError ? true : undefined}
        value={confirm}
        onChange={(e) => onConfirm(e.currentTarget.value)}
        error={confirmError}
      />
    </>
  );
}
