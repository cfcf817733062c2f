import { Button, Group, Select, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { ActionDialog, DecisionPair, dateMsg, RelieveReasonSelect, RemarkField, type TActionResult } from './ActionDialog.tsx';
import { AlternativeVerificationButton } from './AlternativeVerification.tsx';
import { LifecycleActions } from './LifecycleActions.tsx';
import { BASE, msg, type TMsg, type TResource, useMsg, useResourceOptions } from './api.ts';

/** What the caller may do with this resource now (the server says which: `r.can`). */
export function ResourceActions({ r, onDone }: { r: TResource } & TActionResult) {
  const { t } = useTranslation();
  const pending = r.relievings.find((x) => x.state === 'requested') ?? null;
  return (
    <Group gap="xs">
      {r.can.edit && (
        <Button variant="outline" component={Link} to={`/resources/${r.id}/edit`}>
          {t('common.edit')}
        </Button>
      )}
      {r.can.submit && (
        <ActionDialog
          label={t('resource.action.submit')}
          title={t('resource.action.submitTitle')}
          confirm={t('resource.action.submitConfirm')}
          testId="resource-submit"
          url={`${BASE}/${r.id}/submit`}
          check={() => ({ body: {} })}
          done={msg('resource.action.submitted')}
          onDone={onDone}
        >
          {() => <Text>{t('resource.action.submitBody')}</Text>}
        </ActionDialog>
      )}
      {r.can.verifyAlternative && <AlternativeVerificationButton r={r} onDone={onDone} />}
      {r.can.decide && <ApproveButton r={r} onDone={onDone} />}
      {r.can.decide && <RejectButton r={r} onDone={onDone} />}
      {r.can.requestRelieving && !pending && <RelieveRequestButton r={r} onDone={onDone} />}
      {r.can.decideRelieving && pending && <RelieveDecisionButtons r={r} onDone={onDone} />}
      <LifecycleActions r={r} onDone={onDone} />
    </Group>
  );
}

/** Approve: the contract, office, post and joining date (pre-filled from the agency's entry). */
function ApproveButton({ r, onDone }: { r: TResource } & TActionResult) {
  const { t } = useTranslation();
  const name = useBilingual();
  const m = useMsg();
  const { data: options } = useResourceOptions();
  const [contractId, setContractId] = useState<string | null>(String(r.contractId));
  const [slot, setSlot] = useState<string | null>(null);
  const [joining, setJoining] = useState(formatDate(todayIst()));
  const posts = options?.contracts.find((c) => String(c.id) === contractId)?.posts ?? [];
  const choices = posts.map((p) => ({
    value: `${p.officeId}-${p.skillLevelId}-${p.postNameId}`,
    label: `${name(p.postNameEn, p.postNameHi)} (${name(p.skillLevelNameEn, p.skillLevelNameHi)}) — ${name(p.officeNameEn, p.officeNameHi)} (${p.officeId}) — ${t('resource.form.filled', { deployed: p.deployed, positions: p.positions })}`,
  }));
  const mine = posts.find((p) => p.skillLevelId === r.skillLevelId && p.postNameId === r.postNameId);
  const chosen = slot ?? (mine && String(r.contractId) === contractId ? `${mine.officeId}-${mine.skillLevelId}-${mine.postNameId}` : null);
  return (
    <ActionDialog
      label={t('resource.action.approve')}
      title={t('resource.action.approveTitle', { name: name(r.nameEn, r.nameHi) })}
      confirm={t('resource.action.approveConfirm')}
      testId="resource-approve"
      url={`${BASE}/${r.id}/approve`}
      done={msg('resource.action.approved')}
      onDone={onDone}
      check={() => {
        const fe: Record<string, TMsg> = {};
        const iso = parseIndianDate(joining);
        if (!contractId) fe.contractId = msg('validation.required');
        if (!chosen) fe.postNameId = msg('validation.required');
        if (!iso) fe.joiningDate = dateMsg(joining);
        if (Object.keys(fe).length || !iso || !chosen) return { errors: fe };
        const [officeId, skillLevelId, postNameId] = chosen.split('-').map(Number) as [number, number, number];
        return { body: { contractId: Number(contractId), officeId, skillLevelId, postNameId, joiningDate: iso } };
      }}
    >
      {(errors) => (
        <>
          <Select
            label={t('resource.field.contract')}
            required
            value={contractId}
            onChange={(x) => {
              setContractId(x);
              setSlot(null);
            }}
            data={(options?.contracts ?? []).map((c) => ({ value: String(c.id), label: c.contractNo }))}
            error={m(errors.contractId)}
          />
          <Select
            label={t('resource.action.officePost')}
            required
            value={chosen}
            onChange={setSlot}
            data={choices}
            error={m(errors.postNameId ?? errors.officeId ?? errors.skillLevelId)}
            comboboxProps={{ withinPortal: true }}
          />
          <DateInput label={t('resource.field.joiningDate')} required value={joining} onChange={setJoining} error={m(errors.joiningDate)} />
        </>
      )}
    </ActionDialog>
  );
}

function RejectButton({ r, onDone }: { r: TResource } & TActionResult) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  return (
    <ActionDialog
      label={t('resource.action.reject')}
      title={t('resource.action.rejectTitle')}
      confirm={t('resource.action.rejectConfirm')}
      color="red.9"
      variant="outline"
      testId="resource-reject"
      url={`${BASE}/${r.id}/reject`}
      done={msg('resource.action.rejected')}
      onDone={onDone}
      check={() => (reason.trim() ? { body: { reason: reason.trim() } } : { errors: { reason: msg('validation.required') } })}
    >
      {(errors) => <RemarkField label={t('resource.action.rejectReason')} required value={reason} onChange={setReason} error={errors.reason} />}
    </ActionDialog>
  );
}

/** The agency asks for relieving: a date, a reason code, a remark; it takes effect when the department approves. */
function RelieveRequestButton({ r, onDone }: { r: TResource } & TActionResult) {
  const { t } = useTranslation();
  const m = useMsg();
  const [on, setOn] = useState(formatDate(todayIst()));
  const [reason, setReason] = useState<string | null>(null);
  const [remark, setRemark] = useState('');
  return (
    <ActionDialog
      label={t('resource.action.requestRelieving')}
      title={t('resource.action.requestRelievingTitle')}
      confirm={t('resource.action.requestRelievingConfirm')}
      variant="outline"
      testId="resource-relieve-request"
      url={`${BASE}/${r.id}/relieving`}
      done={msg('resource.action.relievingRequested')}
      onDone={onDone}
      check={() => {
        const fe: Record<string, TMsg> = {};
        const iso = parseIndianDate(on);
        if (!iso) fe.relieveOn = dateMsg(on);
        if (!reason) fe.reasonCode = msg('validation.required');
        if (reason === 'other' && !remark.trim()) fe.remark = msg('validation.required');
        if (Object.keys(fe).length || !iso) return { errors: fe };
        return { body: { relieveOn: iso, reasonCode: reason, remark: remark.trim() } };
      }}
    >
      {(errors) => (
        <>
          <Text size="sm">{t('resource.action.requestRelievingBody')}</Text>
          <DateInput label={t('resource.field.relieveOn')} required value={on} onChange={setOn} error={m(errors.relieveOn)} />
          <RelieveReasonSelect value={reason} onChange={setReason} error={errors.reasonCode} />
          <RemarkField value={remark} onChange={setRemark} error={errors.remark} />
        </>
      )}
    </ActionDialog>
  );
}

/** The department's decision on a relieving request: approve (with a remark) or refuse (a remark is required). */
function RelieveDecisionButtons({ r, onDone }: { r: TResource } & TActionResult) {
  return (
    <DecisionPair
      url={`${BASE}/${r.id}/relieving`}
      testId="resource-relieve"
      text={{
        approve: 'resource.action.approveRelieving',
        approveTitle: 'resource.action.approveRelievingTitle',
        approveConfirm: 'resource.action.approveRelievingConfirm',
        approved: 'resource.action.relievingApproved',
        refuse: 'resource.action.refuseRelieving',
        refuseTitle: 'resource.action.refuseRelievingTitle',
        refuseConfirm: 'resource.action.refuseRelievingConfirm',
        refused: 'resource.action.relievingRefused',
      }}
      onDone={onDone}
    />
  );
}
