import { Alert, Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';

type Closed = { closedOn: string | null; closedReason: 'lapse' | 'dormant' | null };

/** "Closed" beside an account in a list (year-end: lapsed on 31 March, or dormant). */
export function ClosedBadge({ account }: { account: Closed }) {
  const { t } = useTranslation();
  if (!account.closedOn || !account.closedReason) return null;
  return (
    <Badge color="gray.8" variant="filled" ml="xs" data-testid="pd-closed-badge">
      {t(`pd-year.closed.badge.${account.closedReason}`)}
    </Badge>
  );
}

/** On the account page: that it is closed, since when and why, and that it takes nothing more. */
export function ClosedNotice({ account }: { account: Closed }) {
  const { t } = useTranslation();
  if (!account.closedOn || !account.closedReason) return null;
  return (
    <Alert color="gray" title={t('pd-year.closed.title')} mb="md" data-testid="pd-closed-notice">
      {t(`pd-year.closed.notice.${account.closedReason}`, { date: formatDate(account.closedOn) })}
    </Alert>
  );
}
