import { Alert, Button, Group, Paper, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';
import { ApiError } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { activeAssignment, can, useMe } from '../../lib/session.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { contractFlash, contractKeys, money, msg, type TContract, type TFlash, type TMsg, useContract, useMsg } from './api.ts';
import { ContractActions } from './ContractActions.tsx';
import { DraftDocumentUpload, IdentityTable, TermsTable } from './ContractDetails.tsx';
import { ContractForm } from './ContractForm.tsx';
import { ContractBadges, StatusBadge } from './ContractsPage.tsx';
import { PostsTable, VersionsTable } from './ContractTables.tsx';

function useContractParam() {
  const params = useParams({ strict: false }) as { id?: string };
  return Number(params.id);
}

function NotFound({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('contract.detail.heading')} crumbs={[{ label: t('contract.title'), to: '/contracts' }]} />
      <Alert color="red" role="alert">
        {error instanceof ApiError && error.problem.status !== 404 ? error.message : t('contract.detail.notFound')}
      </Alert>
    </Paper>
  );
}

/** Contract detail: identity, agency status, the terms and posts in force, version history, and the department's actions. */
export function ContractPage() {
  const { t } = useTranslation();
  const { data, error, isLoading } = useContract(useContractParam());
  if (isLoading) return <Text>{t('common.loading')}</Text>;
  if (error || !data) return <NotFound error={error} />;
  return <ContractView contract={data} />;
}

/** "New Extension / Amendment": the terms in force, pre-filled, saved as a draft version. */
export function NewVersionPage() {
  const { t } = useTranslation();
  const { data, error, isLoading } = useContract(useContractParam());
  if (isLoading) return <Text>{t('common.loading')}</Text>;
  if (error || !data) return <NotFound error={error} />;
  return (
    <Paper withBorder p="lg">
      <PageTitle
        title={t('contract.detail.versionTitle', { contractNo: data.contractNo })}
        crumbs={[
          { label: t('contract.title'), to: '/contracts' },
          { label: data.contractNo, to: `/contracts/${data.id}` },
        ]}
      />
      <ContractForm mode="version" contract={data} />
    </Paper>
  );
}

/**
 * The outcome of the last action (or the message carried from the form), focused when it appears
 * so a screen reader reads it: a status after success, an alert after a refusal.
 */
function useOutcome() {
  const [status, setStatus] = useState<TFlash | null>(() => contractFlash.take());
  const [refusal, setRefusal] = useState<TMsg[] | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const focus = () => requestAnimationFrame(() => ref.current?.focus());
  return {
    status,
    refusal,
    ref,
    dismiss: () => setStatus(null),
    announce: (text: TMsg) => {
      setStatus({ msgs: [text], warn: false });
      setRefusal(null);
      focus();
    },
    refuse: (msgs: TMsg[]) => {
      setRefusal(msgs);
      focus();
    },
  };
}

function ContractView({ contract: c }: { contract: TContract }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const manage = can(me, 'contract.manage') && activeAssignment(me)?.scopeKind !== 'agency';
  const outcome = useOutcome();

  const inForce = c.versions.find((v) => v.state === 'in_force') ?? null;
  const draft = c.versions.find((v) => v.state === 'draft') ?? null;
  const shown = inForce ?? draft ?? c.versions[0];

  const update = async (next: TContract) => {
    qc.setQueryData(contractKeys.one(c.id), next);
    await qc.invalidateQueries({ queryKey: contractKeys.all });
  };
  const onDone = async (next: TContract, message: TMsg) => {
    await update(next);
    outcome.announce(message);
  };
  const onFail = async (msgs: TMsg[]) => {
    await qc.invalidateQueries({ queryKey: contractKeys.one(c.id) });
    outcome.refuse(msgs);
  };

  return (
    <Paper withBorder p="lg">
      <PageTitle title={`${t('contract.detail.heading')}: ${c.contractNo}`} crumbs={[{ label: t('contract.title'), to: '/contracts' }]} />
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Group gap="xs">
          <Button variant="default" component={Link} to="/contracts">
            {t('common.back')}
          </Button>
          <StatusBadge status={c.status} />
          <ContractBadges c={c} />
        </Group>
        {manage && <ContractActions c={c} draft={draft} onDone={onDone} onFail={onFail} />}
      </Group>
      {outcome.status && (
        <Alert
          color={outcome.status.warn ? 'yellow' : 'green'}
          role="status"
          mb="sm"
          ref={outcome.ref}
          tabIndex={-1}
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={outcome.dismiss}
        >
          {outcome.status.msgs.map((x) => m(x)).join(' ')}
        </Alert>
      )}
      {outcome.refusal && (
        <Alert color="red" role="alert" mb="sm" ref={outcome.status ? undefined : outcome.ref} tabIndex={-1}>
          {outcome.refusal.map((x) => m(x)).join(' ')}
        </Alert>
      )}
      <ContractAlerts c={c} manage={manage} draftVersion={draft && inForce ? draft.versionNo : null} />
      <IdentityTable c={c} />
      {shown && (
        <>
          <TermsTable contractId={c.id} v={shown} />
          {manage && draft && <DraftDocumentUpload contractId={c.id} draft={draft} onSaved={(next) => onDone(next, msg('common.saved'))} />}
          <PostsTable v={shown} flagged={new Set(c.belowMinimumWageFlags.map((f) => f.postId))} />
        </>
      )}
      <VersionsTable c={c} />
    </Paper>
  );
}

/** Notes above the details: read-only view, a blacklisted agency, wages below a revised minimum, a draft version pending. */
function ContractAlerts({ c, manage, draftVersion }: { c: TContract; manage: boolean; draftVersion: number | null }) {
  const { t } = useTranslation();
  const name = useBilingual();
  return (
    <>
      {!manage && (
        <Alert color="blue" mb="sm">
          {t('contract.detail.readOnly')}
        </Alert>
      )}
      {c.agencyStatus === 'blacklisted' && (
        <Alert color="red" mb="sm" role="note">
          {t('contract.detail.blacklistedAlert', { reason: c.agencyStatusReason || t('contract.agencyStatus.blacklisted') })}
        </Alert>
      )}
      {c.belowMinimumWageFlags.length > 0 && (
        <Alert color="red" mb="sm" role="note" title={t('contract.badge.belowMinimum')}>
          <Text size="sm">{t('contract.detail.belowMinimumAlert')}</Text>
          <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
            {c.belowMinimumWageFlags.map((f) => (
              <li key={`${f.postId}-${f.revisionId}`}>
                <Text size="sm">
                  {name(f.postNameEn, f.postNameHi)} ({name(f.skillLevelNameEn, f.skillLevelNameHi)}, {f.officeId}): {money(f.wagePaise)} &lt;{' '}
                  {money(f.minimumPaise)} — {formatDate(f.revisionEffectiveFrom)} {f.notificationRef}
                </Text>
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {manage && draftVersion !== null && (
        <Alert color="yellow" mb="sm">
          {t('contract.detail.draftVersion', { version: draftVersion })}
        </Alert>
      )}
    </>
  );
}
