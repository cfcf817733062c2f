import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A button that opens a confirm dialog: a form with the caller's fields, a refusal at the top,
 * Cancel and the confirm button. Confirm runs `onConfirm` once however fast it is clicked (the
 * button waits while `busy`, and a ref guards the gap before React re-renders); `onConfirm`
 * gets `close` and calls it when the action succeeded. Cancel and the close button do nothing
 * while the action runs.
 */
export function ConfirmDialog({
  label,
  title,
  confirm,
  color,
  variant,
  testId,
  busy,
  intro,
  error,
  errorTestId,
  onOpen,
  onConfirm,
  children,
}: {
  /** The button's text. */
  label: string;
  title: string;
  /** The confirm button's text. */
  confirm: string;
  color?: string;
  variant?: string;
  testId?: string;
  /** True while the action runs. */
  busy: boolean;
  /** Text above the refusal and the fields. */
  intro?: ReactNode;
  /** A refusal of the whole form (already in the page's language), shown at the top. */
  error?: ReactNode;
  errorTestId?: string;
  /** Runs when the dialog opens (clear the last attempt's errors). */
  onOpen?: () => void;
  onConfirm: (close: () => void) => Promise<void> | void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const running = useRef(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (running.current || busy) return;
    running.current = true;
    try {
      await onConfirm(() => setOpen(false));
    } finally {
      running.current = false;
    }
  };
  return (
    <>
      <Button
        color={color}
        variant={variant}
        data-testid={testId}
        onClick={() => {
          onOpen?.();
          setOpen(true);
        }}
      >
        {label}
      </Button>
      <Modal opened={open} onClose={() => !busy && setOpen(false)} title={title} closeButtonProps={{ 'aria-label': t('common.close') }} centered size="lg">
        <form noValidate onSubmit={submit}>
          <Stack>
            {intro}
            {error && (
              <Alert color="red" role="alert" data-testid={errorTestId}>
                {error}
              </Alert>
            )}
            {children}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)} disabled={busy}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" color={color} loading={busy} disabled={busy}>
                {confirm}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
