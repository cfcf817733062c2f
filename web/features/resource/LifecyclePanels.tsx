import { Alert, Anchor, Badge, Table, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { TProfileChange } from '../../../shared/contracts/resource.ts';
import { formatDate, formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { BASE, type TResource } from './api.ts';
import { EsicReportButton } from './LifecycleActions.tsx';
import type { TActionResult } from './ResourceActions.tsx';

const nowrap = { whiteSpace: 'nowrap' } as const;

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
    <>
      <Title order={3} mb="xs">
        {t('resource.profile.title')}
      </Title>
      {open && (
        <Alert color="yellow" variant="light" mb="sm" role="note" data-testid="profile-change-pending" styles={{ message: { color: '#3d2a00' } }}>
          {t('resource.profile.pending')}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={700}>
        <Table withTableBorder mb="md" data-testid="resource-profile-changes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('resource.relieving.requestedAt')}</Table.Th>
              <Table.Th scope="col">{t('resource.profile.change')}</Table.Th>
              <Table.Th scope="col">{t('resource.field.status')}</Table.Th>
              <Table.Th scope="col">{t('resource.relieving.decision')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.profileChanges.map((x) => (
              <Table.Tr key={x.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTimeIst(x.requestedAt)}</Table.Td>
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
                <Table.Td>{x.decidedAt ? `${formatDateTimeIst(x.decidedAt)}${x.decisionRemark ? ` — ${x.decisionRemark}` : ''}` : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}

export function Replacements({ r }: { r: TResource }) {
  const { t } = useTranslation();
  const name = useBilingual();
  if (!r.replacements.length) return null;
  return (
    <>
      <Title order={3} mb="xs">
        {t('resource.replacement.title')}
      </Title>
      <Table.ScrollContainer minWidth={700}>
        <Table withTableBorder mb="md" data-testid="resource-replacements">
          <Table.Tbody>
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
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}

/** Accidents (time, ESIC deadline and report, overdue), maternity leave, death — with their documents. */
export function Events({ r, onDone }: { r: TResource } & TActionResult) {
  const { t } = useTranslation();
  if (!r.events.length) return null;
  return (
    <>
      <Title order={3} mb="xs">
        {t('resource.event.title')}
      </Title>
      <Table.ScrollContainer minWidth={800}>
        <Table withTableBorder mb="md" data-testid="resource-events">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('resource.event.kind')}</Table.Th>
              <Table.Th scope="col">{t('resource.event.when')}</Table.Th>
              <Table.Th scope="col">{t('resource.event.esic')}</Table.Th>
              <Table.Th scope="col">{t('resource.field.status')}</Table.Th>
              <Table.Th scope="col">{t('resource.field.remark')}</Table.Th>
              <Table.Th scope="col">{t('resource.event.document_link')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
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
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
