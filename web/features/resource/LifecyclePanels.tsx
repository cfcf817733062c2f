import { Alert, Anchor, Badge, Table, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TProfileChange } from '../../../shared/contracts/resource.ts';
import { formatDate, formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { BASE, type TResource } from './api.ts';
import { EsicReportButton } from './LifecycleActions.tsx';
import type { TActionResult } from './ActionDialog.tsx';

const nowrap = { whiteSpace: 'nowrap' } as const;

/**
 * A titled table of the resource page (relievings, replacements, profile changes, events, the
 * timeline): the heading, `intro` under it, a scroll container of `minWidth`, the column heads
 * (none: no head row) and the rows. `last`: no margin below (the page's last table).
 */
export function HistoryTable({
  title,
  intro,
  testId,
  minWidth,
  head,
  last,
  children,
}: {
  title: string;
  intro?: ReactNode;
  testId: string;
  minWidth: number;
  head?: string[];
  last?: boolean;
  children: ReactNode;
}) {
  return (
    <>
      <Title order={3} mb="xs">
        {title}
      </Title>
      {intro}
      <Table.ScrollContainer minWidth={minWidth}>
        <Table withTableBorder mb={last ? undefined : 'md'} data-testid={testId}>
          {head && (
            <Table.Thead>
              <Table.Tr>
                {head.map((h, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns that never reorder (two may read alike in a language)
                  <Table.Th scope="col" key={i}>
                    {h}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
          )}
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}

/** A request's decision: when, and the remark if any; "—" while undecided. */
export const decisionText = (x: { decidedAt: string | null; decisionRemark: string | null }) =>
  x.decidedAt ? `${formatDateTimeIst(x.decidedAt)}${x.decisionRemark ? ` — ${x.decisionRemark}` : ''}` : '—';

/** The pending profile change (what is in force now beside what is asked), and earlier requests. */
export function ProfileChanges({ r }: { r: TResource }) {
  const { t } = useTranslation();
  if (!r.profileChanges.length) return null;
  const open = r.profileChanges.find((x) => x.state === 'requested');
  const rows = (x: TProfileChange) =>
    [
      ['mobile', r.mobile, x.mobile],
      ['address', r.address, x.address],
      ['qualification', t(`resource.qualification.${r.qualification}`), x.qualification ? t(`resource.qualification.${x.qualification}`) : null],
      ['bankAccount', r.bankAccount, x.bankAccount],
      ['ifsc', r.ifsc, x.ifsc],
    ].filter((row) => row[2] !== null) as [string, string, string][];
  return (
    <HistoryTable
      title={t('resource.profile.title')}
      intro={
        open && (
          <Alert color="yellow" variant="light" mb="sm" role="note" data-testid="profile-change-pending" styles={{ message: { color: '#3d2a00' } }}>
            {t('resource.profile.pending')}
          </Alert>
        )
      }
      testId="resource-profile-changes"
      minWidth={700}
      head={[t('resource.relieving.requestedAt'), t('resource.profile.change'), t('resource.field.status'), t('resource.relieving.decision')]}
    >
      {r.profileChanges.map((x) => (
        <Table.Tr key={x.id}>
          <Table.Td style={nowrap}>{formatDateTimeIst(x.requestedAt)}</Table.Td>
          <Table.Td>
            {rows(x).map(([f, now, asked]) => (
              <div key={f}>
                {t(`resource.field.${f}`)}: {x.state === 'requested' ? `${now} → ${asked}` : asked}
              </div>
            ))}
            {x.hasPhoto && <div>{t('resource.profile.newPhotoAttached')}</div>}
            {x.remark && <div>— {x.remark}</div>}
          </Table.Td>
          <Table.Td>{t(`resource.relieving.state.${x.state}`)}</Table.Td>
          <Table.Td>{decisionText(x)}</Table.Td>
        </Table.Tr>
      ))}
    </HistoryTable>
  );
}

export function Replacements({ r }: { r: TResource }) {
  const { t } = useTranslation();
  const name = useBilingual();
  if (!r.replacements.length) return null;
  return (
    <HistoryTable title={t('resource.replacement.title')} testId="resource-replacements" minWidth={700}>
      {r.replacements.map((x) => (
        <Table.Tr key={x.id}>
          <Table.Td>
            <Anchor component={Link} to={`/resources/${x.direction === 'out' ? x.replacementId : x.resourceId}`}>
              {t(x.direction === 'out' ? 'resource.replacement.out' : 'resource.replacement.in', { name: name(x.otherNameEn, x.otherNameHi) })}
            </Anchor>
          </Table.Td>
          <Table.Td>{t('resource.replacement.dates', { relieve: formatDate(x.relieveOn), join: formatDate(x.joinOn) })}</Table.Td>
          <Table.Td>{t(`resource.relieveReason.${x.reasonCode}`)}</Table.Td>
          <Table.Td>{t(`resource.relieving.state.${x.state}`)}</Table.Td>
          <Table.Td>{x.decisionRemark || x.remark || '—'}</Table.Td>
        </Table.Tr>
      ))}
    </HistoryTable>
  );
}

/** Accidents (time, ESIC deadline and report, overdue), maternity leave, death — with their documents. */
export function Events({ r, onDone }: { r: TResource } & TActionResult) {
  const { t } = useTranslation();
  if (!r.events.length) return null;
  return (
    <HistoryTable
      title={t('resource.event.title')}
      testId="resource-events"
      minWidth={800}
      head={[
        t('resource.event.kind'),
        t('resource.event.when'),
        t('resource.event.esic'),
        t('resource.field.status'),
        t('resource.field.remark'),
        t('resource.event.document_link'),
      ]}
    >
      {r.events.map((e) => (
        <Table.Tr key={e.id} data-testid={`resource-event-${e.kind}`}>
          <Table.Td style={nowrap}>{t(`resource.event.kinds.${e.kind}`)}</Table.Td>
          <Table.Td style={nowrap}>
            {e.occurredAt ? formatDateTimeIst(e.occurredAt) : formatDate(e.onDate)}
            {e.toDate ? ` – ${formatDate(e.toDate)}` : ''}
          </Table.Td>
          <Table.Td>
            {e.kind === 'accident' && e.esicDueAt && (
              <>
                {e.esicReportedAt
                  ? t('resource.event.esicReported', { at: formatDateTimeIst(e.esicReportedAt) })
                  : t('resource.event.esicDue', { at: formatDateTimeIst(e.esicDueAt) })}{' '}
                {e.esicOverdue && (
                  <Badge color="red.9" variant="filled" data-testid="esic-overdue">
                    {e.esicReportedAt ? t('resource.event.reportedLate') : t('resource.event.overdue')}
                  </Badge>
                )}
                {!e.esicReportedAt && r.can.recordEvent && <EsicReportButton r={r} e={e} onDone={onDone} />}
              </>
            )}
          </Table.Td>
          <Table.Td style={nowrap}>{t(`resource.event.state.${e.state}`)}</Table.Td>
          <Table.Td>{e.remark || '—'}</Table.Td>
          <Table.Td style={nowrap}>
            {e.hasDocument ? (
              <Anchor href={`${BASE}/${r.id}/events/${e.id}/document`} target="_blank" rel="noopener">
                {t('resource.event.document_link')}
              </Anchor>
            ) : (
              '—'
            )}
          </Table.Td>
        </Table.Tr>
      ))}
    </HistoryTable>
  );
}
