import { Alert, Button, Group, Image, Paper, Table, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { Detail } from '../contract/ContractDetails.tsx';
import { BASE, resourceFlash, resourceKeys, type TMsg, type TResource, useMsg, useResource, useTimeline } from './api.ts';
import { KycPanel } from './KycPanel.tsx';
import { decisionText, Events, HistoryTable, ProfileChanges, Replacements } from './LifecyclePanels.tsx';
import { ResourceActions } from './ResourceActions.tsx';
import { KycTag, ResourceStatusTag } from './ResourcesPage.tsx';
import { TableCaption } from '../../ui/TableCaption.tsx';

/** A resource: particulars, e-KYC, what the caller may do now, relieving, the timeline. */
export function ResourcePage() {
  const { t } = useTranslation();
  const params = useParams({ strict: false }) as { id?: string };
  const { data, error, isLoading } = useResource(Number(params.id));
  if (isLoading) return <Text>{t('common.loading')}</Text>;
  if (error || !data)
    return (
      <Paper withBorder p="lg">
        <PageTitle title={t('resource.detail.heading')} crumbs={[{ label: t('resource.title'), to: '/resources' }]} />
        <Alert color="red" role="alert">
          {t('resource.detail.notFound')}
        </Alert>
      </Paper>
    );
  return <ResourceView r={data} />;
}

function ResourceView({ r }: { r: TResource }) {
  const { t } = useTranslation();
  const name = useBilingual();
  const m = useMsg();
  const qc = useQueryClient();
  const [status, setStatus] = useState<TMsg[] | null>(() => resourceFlash.take());
  const ref = useRef<HTMLDivElement>(null);
  const onDone = async (next: TResource, message: TMsg) => {
    qc.setQueryData(resourceKeys.one(r.id), next);
    await qc.invalidateQueries({ queryKey: resourceKeys.all });
    setStatus([message]);
    requestAnimationFrame(() => ref.current?.focus());
  };
  const shownName = name(r.nameEn, r.nameHi);
  return (
    <Paper withBorder p="lg">
      <PageTitle title={`${t('resource.detail.heading')}: ${shownName}`} crumbs={[{ label: t('resource.title'), to: '/resources' }]} />
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Group gap="xs">
          <Button variant="default" component={Link} to="/resources">
            {t('common.back')}
          </Button>
          <ResourceStatusTag status={r.status} />
          <KycTag status={r.kycStatus} />
        </Group>
        <ResourceActions r={r} onDone={onDone} />
      </Group>
      {status && (
        <Alert
          color="green"
          role="status"
          mb="sm"
          ref={ref}
          tabIndex={-1}
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setStatus(null)}
          data-testid="resource-flash"
        >
          {status.map((x) => m(x)).join(' ')}
        </Alert>
      )}
      {r.status === 'rejected' && (
        <Alert color="red" mb="sm" role="note">
          {t('resource.detail.rejectedAlert', { reason: r.rejectionReason })}
        </Alert>
      )}
      {r.status === 'relieved' && r.relieveReason && (
        <Alert color="gray" mb="sm" role="note" data-testid="resource-relieved">
          {t('resource.detail.relievedAlert', { date: r.relievedOn ? formatDate(r.relievedOn) : '', reason: t(`resource.relieveReason.${r.relieveReason}`) })}
          {r.relieveRemark ? ` — ${r.relieveRemark}` : ''}
        </Alert>
      )}
      <Group align="flex-start" wrap="nowrap" mb="md">
        {r.hasPhoto && <Image src={`${BASE}/${r.id}/photo`} alt={t('resource.detail.photoOf', { name: shownName })} w={110} h={140} fit="cover" radius="sm" />}
        <Table.ScrollContainer minWidth={760} style={{ flex: 1 }}>
          <Table withTableBorder variant="vertical">
            <TableCaption>{t('resource.detail.particulars')}</TableCaption>
            <Table.Tbody>
              <Table.Tr>
                <Detail label={t('resource.field.nameEn')}>{r.nameEn || '—'}</Detail>
                <Detail label={t('resource.field.nameHi')}>{r.nameHi || '—'}</Detail>
              </Table.Tr>
              <Table.Tr>
                <Detail label={t(`resource.relation.${r.relation}`)}>{r.relativeName}</Detail>
                <Detail label={t('resource.field.dob')}>{formatDate(r.dob)}</Detail>
              </Table.Tr>
              <Table.Tr>
                <Detail label={t('resource.field.gender')}>{t(`resource.gender.${r.gender}`)}</Detail>
                <Detail label={t('resource.field.mobile')}>{r.mobile}</Detail>
              </Table.Tr>
              <Table.Tr>
                <Detail label={t('resource.field.address')}>{r.address}</Detail>
                <Detail label={t('resource.field.qualification')}>{t(`resource.qualification.${r.qualification}`)}</Detail>
              </Table.Tr>
              <Table.Tr>
                <Detail label={t('resource.field.bankAccount')}>{r.bankAccount}</Detail>
                <Detail label={t('resource.field.ifsc')}>{r.ifsc}</Detail>
              </Table.Tr>
              <Table.Tr>
                <Detail label={t('resource.field.uan')}>{r.uan || '—'}</Detail>
                <Detail label={t('resource.field.esicIp')}>{r.esicIp || '—'}</Detail>
              </Table.Tr>
              <Table.Tr>
                <Detail label={t('resource.field.agency')}>{r.agencyName}</Detail>
                <Detail label={t('resource.field.contract')}>{r.contractNo}</Detail>
              </Table.Tr>
              <Table.Tr>
                <Detail label={t('resource.field.post')}>
                  {name(r.postNameEn, r.postNameHi)} ({name(r.skillLevelNameEn, r.skillLevelNameHi)})
                </Detail>
                <Detail label={t('resource.field.office')}>{r.officeId ? `${name(r.officeNameEn, r.officeNameHi)} (${r.officeId})` : '—'}</Detail>
              </Table.Tr>
              <Table.Tr>
                <Detail label={t('resource.field.joiningDate')}>{r.joiningDate ? formatDate(r.joiningDate) : '—'}</Detail>
                <Detail label={t('resource.field.verification')}>{r.verificationMethod ? t(`resource.verification.${r.verificationMethod}`) : '—'}</Detail>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Group>
      <KycPanel r={r} onDone={onDone} />
      <Relievings r={r} />
      <Replacements r={r} />
      <ProfileChanges r={r} />
      <Events r={r} onDone={onDone} />
      <Timeline id={r.id} />
    </Paper>
  );
}

function Relievings({ r }: { r: TResource }) {
  const { t } = useTranslation();
  if (!r.relievings.length) return null;
  return (
    <HistoryTable
      title={t('resource.relieving.title')}
      testId="resource-relievings"
      minWidth={760}
      head={[
        t('resource.field.relieveOn'),
        t('resource.field.relieveReason'),
        t('resource.field.remark'),
        t('resource.relieving.requestedAt'),
        t('resource.field.status'),
        t('resource.relieving.decision'),
      ]}
    >
      {r.relievings.map((x) => (
        <Table.Tr key={x.id}>
          <Table.Td>{formatDate(x.relieveOn)}</Table.Td>
          <Table.Td>{t(`resource.relieveReason.${x.reasonCode}`)}</Table.Td>
          <Table.Td>{x.remark || '—'}</Table.Td>
          <Table.Td>{formatDateTimeIst(x.requestedAt)}</Table.Td>
          <Table.Td>{t(`resource.relieving.state.${x.state}`)}</Table.Td>
          <Table.Td>{decisionText(x)}</Table.Td>
        </Table.Tr>
      ))}
    </HistoryTable>
  );
}

/** Everything that happened to the resource, oldest first, from the audit trail. */
function Timeline({ id }: { id: number }) {
  const { t } = useTranslation();
  const { data } = useTimeline(id);
  return (
    <HistoryTable
      title={t('resource.timeline.title')}
      testId="resource-timeline"
      minWidth={600}
      last
      head={[t('resource.timeline.at'), t('resource.timeline.what'), t('resource.timeline.who')]}
    >
      {!data?.items.length && (
        <Table.Tr>
          <Table.Td colSpan={3}>
            <Text size="sm" ta="center">
              {data ? t('common.noData') : t('common.loading')}
            </Text>
          </Table.Td>
        </Table.Tr>
      )}
      {data?.items.map((e, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id and never reorder
        <Table.Tr key={i}>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTimeIst(e.at)}</Table.Td>
          <Table.Td>{t(`resource.timeline.action.${e.action}`, { defaultValue: e.action })}</Table.Td>
          <Table.Td>
            {/* Entries with no person behind them (the demo seed, a scheduled job) are the system's, as on the audit trail. */}
            {e.actorName ? `${e.actorName} (${t(`common.roles.${e.role}`, { defaultValue: e.role })})` : t('audit.system')}
          </Table.Td>
        </Table.Tr>
      ))}
    </HistoryTable>
  );
}
