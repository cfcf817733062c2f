import { Alert, Button, Stack } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { PageTitle } from './PageTitle.tsx';
import { useTranslation } from 'react-i18next';

/**
 * A page that cannot be shown (403, 404): a heading like every page (the page's h2 under the
 * header's h1, see PageTitle), the reason, and a way home — it used to be a bare alert (issue 12.4).
 */
export function ErrorPage({ title, message, color }: { title: string; message: string; color: 'red' | 'yellow' }) {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start">
      <PageTitle title={title} />
      <Alert color={color} w="100%">
        {message}
      </Alert>
      <Button component={Link} to="/">
        {t('common.goHome')}
      </Button>
    </Stack>
  );
}
