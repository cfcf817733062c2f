import { fileLimit } from '../../../shared/domain/file-limits.ts';
import { Select, SimpleGrid, Text, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EVENT_KINDS, MAX_EVENT_DOC_BYTES, QUALIFICATIONS, type TResourceEvent } from '../../../shared/contracts/resource.ts';
import { BANK_ACCOUNT_RE } from '../../../shared/domain/identifiers.ts';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { MOBILE_RE } from '../../../shared/domain/validators.ts';
import { api, qs } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { ActionDialog, DecisionPair, dateMsg, FilePick, RelieveReasonSelect, RemarkField, type TActionResult, timeMsg } from './ActionDialog.tsx';
import { BASE, imageKindOf, msg, type TMsg, type TResource, type TResourceSummary, useMsg } from './api.ts';

const IFSC_RE = /^[A-Za-z]{4}0[A-Za-z0-9]{6}$/;

/** PDF, JPEG or PNG by the first bytes (as the server checks). */
async function documentKindOf(file: File): Promise<string | null> {
  const head = new Uint8Array(await file.slice(0, 5).arrayBuffer());
  if (String.fromCharCode(...head) === '%PDF-') return 'application/pdf';
  return imageKindOf(file);
}

/** Replacement, profile change and events: what the caller may do now (`r.can`). */
export function LifecycleActions({ r, onDone }: { r: TResource } & TActionResult) {
  const deathPending = r.events.find((e) => e.kind === 'death' && e.state === 'requested') ?? null;
  return (
    <>
      {(r.can.replace || r.can.requestReplacement) && <ReplaceButton r={r} direct={r.can.replace} onDone={onDone} />}
      {r.can.decideReplacement && <LifecycleDecision r={r} kind="replacement" onDone={onDone} />}
      {r.can.requestProfileChange && <ProfileChangeButton r={r} onDone={onDone} />}
      {r.can.decideProfileChange && <LifecycleDecision r={r} kind="profile" onDone={onDone} />}
      {r.can.recordEvent && <RecordEventButton r={r} onDone={onDone} />}
      {r.can.decideEvent && deathPending && <LifecycleDecision r={r} kind="death" eventId={deathPending.id} onDone={onDone} />}
    </>
  );
}

/** Candidates for B: drafts or submitted resources of the same contract (the server checks the rest). */
function useCandidates(r: TResource) {
  return useQuery({
    queryKey: ['resource', 'candidates', r.contractId],
    queryFn: async () => {
      const get = (status: string) =>
        api<{ items: TResourceSummary[] }>('GET', `${BASE}${qs({ contractId: r.contractId, status, pageSize: 100, sort: 'name', dir: 'asc' })}`);
      const [a, b] = await Promise.all([get('submitted'), get('draft')]);
      return [...a.items, ...b.items.filter((x) => x.kycStatus === 'verified' || x.kycStatus === 'alternative')];
    },
  });
}

function ReplaceButton({ r, direct, onDone }: { r: TResource; direct: boolean } & TActionResult) {
  const { t } = useTranslation();
  const name = useBilingual();
  const m = useMsg();
  const { data: candidates } = useCandidates(r);
  const [b, setB] = useState<string | null>(null);
  const [relieve, setRelieve] = useState(formatDate(todayIst()));
  const [join, setJoin] = useState(formatDate(todayIst()));
  const [reason, setReason] = useState<string | null>(null);
  const [remark, setRemark] = useState('');
  const shown = name(r.nameEn, r.nameHi);
  return (
    <ActionDialog
      label={direct ? t('resource.replacement.replace') : t('resource.replacement.request')}
      title={t('resource.replacement.dialogTitle', { name: shown })}
      confirm={direct ? t('resource.replacement.confirm') : t('resource.replacement.requestConfirm')}
      variant="outline"
      testId="resource-replace"
      url={`${BASE}/${r.id}/${direct ? 'replace' : 'replacement'}`}
      done={msg(direct ? 'resource.replacement.done' : 'resource.replacement.requested')}
      onDone={onDone}
      check={() => {
        const fe: Record<string, TMsg> = {};
        const relieveOn = parseIndianDate(relieve);
        const joinOn = parseIndianDate(join);
        if (!b) fe.replacementId = msg('validation.required');
        if (!relieveOn) fe.relieveOn = dateMsg(relieve);
        if (!joinOn) fe.joinOn = dateMsg(join);
        if (relieveOn && joinOn && joinOn < relieveOn) fe.joinOn = msg('validation.join_before_relieve');
        if (!reason) fe.reasonCode = msg('validation.required');
        if (Object.keys(fe).length) return { errors: fe };
        return { body: { replacementId: Number(b), relieveOn, joinOn, reasonCode: reason, remark: remark.trim() } };
      }}
    >
      {(errors) => (
        <>
          <Text size="sm">{t('resource.replacement.body', { name: shown })}</Text>
          {!direct && <Text size="sm">{t('resource.replacement.requestBody')}</Text>}
          <Select
            label={t('resource.replacement.replacementId')}
            required
            value={b}
            onChange={setB}
            data={(candidates ?? []).map((x) => ({
              value: String(x.id),
              label: `${name(x.nameEn, x.nameHi)} (${x.id}) — ${t(`resource.status.${x.status}`)}`,
            }))}
            nothingFoundMessage={t('resource.replacement.noCandidates')}
            searchable
            error={m(errors.replacementId)}
            comboboxProps={{ withinPortal: true }}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <DateInput label={t('resource.field.relieveOn')} required value={relieve} onChange={setRelieve} error={m(errors.relieveOn)} />
            <DateInput label={t('resource.replacement.joinOn')} required value={join} onChange={setJoin} error={m(errors.joinOn)} />
          </SimpleGrid>
          <RelieveReasonSelect value={reason} onChange={setReason} error={errors.reasonCode} />
          <RemarkField value={remark} onChange={setRemark} error={errors.remark} />
        </>
      )}
    </ActionDialog>
  );
}

type TProfileForm = { mobile: string; address: string; qualification: string | null; bankAccount: string; ifsc: string; remark: string };

/** The agency asks for a change of mobile, address, qualification, bank account + IFSC and / or photo. */
function ProfileChangeButton({ r, onDone }: { r: TResource } & TActionResult) {
  const { t } = useTranslation();
  const m = useMsg();
  const [f, setF] = useState<TProfileForm>({ mobile: '', address: '', qualification: null, bankAccount: '', ifsc: '', remark: '' });
  const [photo, setPhoto] = useState<File | null>(null);
  const [photoError, setPhotoError] = useState<TMsg | undefined>(undefined);
  const set = (k: keyof TProfileForm) => (v: string | null) => setF((x) => ({ ...x, [k]: v ?? '' }));
  return (
    <ActionDialog
      label={t('resource.profile.request')}
      title={t('resource.profile.dialogTitle')}
      confirm={t('resource.profile.confirm')}
      variant="outline"
      testId="resource-profile-change"
      url={`${BASE}/${r.id}/profile-change`}
      done={msg('resource.profile.requested')}
      onDone={onDone}
      send={async (body) => {
        const fields = body as Record<string, unknown>;
        let next: TResource | null = null;
        if (Object.keys(fields).some((k) => k !== 'remark')) next = await api<TResource>('POST', `${BASE}/${r.id}/profile-change`, fields);
        if (photo) {
          const fd = new FormData();
          fd.set('photo', photo, photo.name);
          next = await api<TResource>('PUT', `${BASE}/${r.id}/profile-change/photo`, fd);
        }
        return next!;
      }}
      check={() => {
        const fe: Record<string, TMsg> = {};
        const body: Record<string, string> = {};
        if (f.mobile.trim()) {
          if (!MOBILE_RE.test(f.mobile.trim())) fe.mobile = msg('validation.mobile_format');
          body.mobile = f.mobile.trim();
        }
        if (f.address.trim()) body.address = f.address.trim();
        if (f.qualification) body.qualification = f.qualification;
        if (f.bankAccount.trim() || f.ifsc.trim()) {
          if (!BANK_ACCOUNT_RE.test(f.bankAccount.trim()))
            fe.bankAccount = msg(f.bankAccount.trim() ? 'validation.bank_account_format' : 'validation.required');
          if (!IFSC_RE.test(f.ifsc.trim())) fe.ifsc = msg(f.ifsc.trim() ? 'validation.ifsc_format' : 'validation.required');
          body.bankAccount = f.bankAccount.trim();
          body.ifsc = f.ifsc.trim().toUpperCase();
        }
        if (photoError) fe.photo = photoError;
        if (!Object.keys(body).length && !photo) fe.form = msg('resource.profile.nothing');
        if (Object.keys(fe).length) return { errors: fe };
        return { body: { ...body, remark: f.remark.trim() } };
      }}
    >
      {(errors) => (
        <>
          <Text size="sm">{t('resource.profile.body')}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('resource.profile.newMobile')}
              description={r.mobile}
              inputMode="numeric"
              maxLength={10}
              value={f.mobile}
              onChange={(e) => set('mobile')(e.currentTarget.value)}
              error={m(errors.mobile)}
            />
            <Select
              label={t('resource.profile.newQualification')}
              value={f.qualification}
              onChange={set('qualification')}
              clearable
              data={QUALIFICATIONS.map((x) => ({ value: x, label: t(`resource.qualification.${x}`) }))}
              error={m(errors.qualification)}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              label={t('resource.profile.newBankAccount')}
              inputMode="numeric"
              autoComplete="off"
              maxLength={18}
              value={f.bankAccount}
              onChange={(e) => set('bankAccount')(e.currentTarget.value)}
              error={m(errors.bankAccount)}
            />
            <TextInput
              label={t('resource.profile.newIfsc')}
              autoComplete="off"
              maxLength={11}
              value={f.ifsc}
              onChange={(e) => set('ifsc')(e.currentTarget.value)}
              error={m(errors.ifsc)}
            />
          </SimpleGrid>
          <Textarea
            label={t('resource.profile.newAddress')}
            maxLength={500}
            value={f.address}
            onChange={(e) => set('address')(e.currentTarget.value)}
            error={m(errors.address)}
          />
          <FilePick
            label={t('resource.profile.newPhoto')}
            accept="image/jpeg,image/png,.jpg,.jpeg,.png"
            error={m(errors.photo ?? photoError)}
            onPick={async (file) => {
              setPhoto(file);
              setPhotoError(file && !(await imageKindOf(file)) ? msg('validation.file_not_image') : undefined);
            }}
          />
          <RemarkField value={f.remark} onChange={set('remark')} error={errors.remark} />
        </>
      )}
    </ActionDialog>
  );
}

type TEventForm = { kind: string | null; onDate: string; atTime: string; toDate: string; esicOn: string; esicTime: string; remark: string };

/** An accident (time, ESIC report), maternity leave (from – to) or death (date), with a document. */
function RecordEventButton({ r, onDone }: { r: TResource } & TActionResult) {
  const { t } = useTranslation();
  const m = useMsg();
  const [f, setF] = useState<TEventForm>({ kind: null, onDate: formatDate(todayIst()), atTime: '', toDate: '', esicOn: '', esicTime: '', remark: '' });
  const [doc, setDoc] = useState<File | null>(null);
  const [docError, setDocError] = useState<TMsg | undefined>(undefined);
  const set = (k: keyof TEventForm) => (v: string | null) => setF((x) => ({ ...x, [k]: v ?? '' }));
  return (
    <ActionDialog
      label={t('resource.event.record')}
      title={t('resource.event.dialogTitle')}
      confirm={t('resource.event.confirm')}
      variant="outline"
      testId="resource-record-event"
      url={`${BASE}/${r.id}/events`}
      idempotent
      done={msg('resource.event.recorded')}
      onDone={onDone}
      check={() => {
        const fe: Record<string, TMsg> = {};
        const onDate = parseIndianDate(f.onDate);
        if (!f.kind) fe.kind = msg('validation.required');
        if (!onDate) fe.onDate = dateMsg(f.onDate);
        const fd = new FormData();
        fd.set('kind', f.kind ?? '');
        fd.set('onDate', onDate ?? '');
        fd.set('remark', f.remark.trim());
        if (f.kind === 'accident') {
          const atTime = timeMsg(f.atTime);
          if (atTime) fe.atTime = atTime;
          fd.set('atTime', f.atTime.trim());
          if (f.esicOn.trim() || f.esicTime.trim()) {
            const on = parseIndianDate(f.esicOn);
            if (!on) fe.esicReportedOn = dateMsg(f.esicOn);
            const esicTime = timeMsg(f.esicTime);
            if (esicTime) fe.esicReportedTime = esicTime;
            fd.set('esicReportedOn', on ?? '');
            fd.set('esicReportedTime', f.esicTime.trim());
          }
        }
        if (f.kind === 'maternity') {
          const to = parseIndianDate(f.toDate);
          if (!to) fe.toDate = dateMsg(f.toDate);
          else if (onDate && to < onDate) fe.toDate = msg('validation.end_before_start');
          fd.set('toDate', to ?? '');
        }
        if (docError) fe.document = docError;
        if (doc) fd.set('document', doc, doc.name);
        if (Object.keys(fe).length) return { errors: fe };
        return { body: fd };
      }}
    >
      {(errors) => (
        <>
          <Select
            label={t('resource.event.kind')}
            required
            value={f.kind}
            onChange={set('kind')}
            data={EVENT_KINDS.map((x) => ({ value: x, label: t(`resource.event.kinds.${x}`) }))}
            error={m(errors.kind)}
            comboboxProps={{ withinPortal: true }}
          />
          {f.kind === 'accident' && <Text size="sm">{t('resource.event.esicHint')}</Text>}
          {f.kind === 'death' && <Text size="sm">{t('resource.event.deathHint')}</Text>}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <DateInput
              label={f.kind === 'maternity' ? t('resource.event.fromDate') : t('resource.event.onDate')}
              required
              value={f.onDate}
              onChange={set('onDate')}
              error={m(errors.onDate)}
            />
            {f.kind === 'accident' && (
              <TextInput
                label={t('resource.event.atTime')}
                required
                placeholder="14:30"
                maxLength={5}
                value={f.atTime}
                onChange={(e) => set('atTime')(e.currentTarget.value)}
                error={m(errors.atTime)}
              />
            )}
            {f.kind === 'maternity' && (
              <DateInput label={t('resource.event.toDate')} required value={f.toDate} onChange={set('toDate')} error={m(errors.toDate)} />
            )}
            {f.kind === 'accident' && (
              <DateInput label={t('resource.event.esicReportedOn')} value={f.esicOn} onChange={set('esicOn')} error={m(errors.esicReportedOn)} />
            )}
            {f.kind === 'accident' && (
              <TextInput
                label={t('resource.event.esicReportedTime')}
                placeholder="16:00"
                maxLength={5}
                value={f.esicTime}
                onChange={(e) => set('esicTime')(e.currentTarget.value)}
                error={m(errors.esicReportedTime)}
              />
            )}
          </SimpleGrid>
          <FilePick
            label={t('resource.event.document')}
            accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
            error={m(errors.document ?? docError)}
            onPick={async (file) => {
              setDoc(file);
              setDocError(
                file && file.size > MAX_EVENT_DOC_BYTES
                  ? msg('validation.file_too_large', fileLimit(MAX_EVENT_DOC_BYTES, 'pdfImage'))
                  : file && !(await documentKindOf(file))
                    ? msg('validation.file_not_document')
                    : undefined,
              );
            }}
          />
          <RemarkField value={f.remark} onChange={set('remark')} error={errors.remark} />
        </>
      )}
    </ActionDialog>
  );
}

/** The department's approve / refuse of an open replacement, profile change or death report (a refusal needs a remark). */
function LifecycleDecision({ r, kind, eventId, onDone }: { r: TResource; kind: 'replacement' | 'profile' | 'death'; eventId?: number } & TActionResult) {
  const { t } = useTranslation();
  const path = kind === 'replacement' ? 'replacement' : kind === 'profile' ? 'profile-change' : `events/${eventId}`;
  const k = kind === 'death' ? 'resource.event' : `resource.${kind}`;
  const text =
    kind === 'death'
      ? {
          approve: `${k}.approveDeath`,
          approveTitle: `${k}.approveDeathTitle`,
          approveConfirm: `${k}.approveDeathConfirm`,
          approved: `${k}.deathApproved`,
          refuse: `${k}.refuseDeath`,
          refuseTitle: `${k}.refuseDeathTitle`,
          refuseConfirm: `${k}.refuseDeathConfirm`,
          refused: `${k}.deathRefused`,
        }
      : {
          approve: `${k}.approve`,
          approveTitle: `${k}.approveTitle`,
          approveConfirm: `${k}.approveConfirm`,
          approved: `${k}.approved`,
          refuse: `${k}.refuse`,
          refuseTitle: `${k}.refuseTitle`,
          refuseConfirm: `${k}.refuseConfirm`,
          refused: `${k}.refused`,
        };
  return (
    <DecisionPair
      url={`${BASE}/${r.id}/${path}`}
      testId={`resource-${kind}`}
      text={text}
      approveIntro={kind === 'profile' && <Text size="sm">{t('resource.profile.approveBody')}</Text>}
      onDone={onDone}
    />
  );
}

/** Records when an accident was reported to ESIC (a button on the event's row). */
export function EsicReportButton({ r, e, onDone }: { r: TResource; e: TResourceEvent } & TActionResult) {
  const { t } = useTranslation();
  const m = useMsg();
  const [on, setOn] = useState(formatDate(todayIst()));
  const [time, setTime] = useState('');
  return (
    <ActionDialog
      label={t('resource.event.markReported')}
      title={t('resource.event.markReportedTitle')}
      confirm={t('resource.event.markReportedConfirm')}
      variant="outline"
      testId={`resource-esic-report-${e.id}`}
      url={`${BASE}/${r.id}/events/${e.id}/esic-report`}
      done={msg('resource.event.markedReported')}
      onDone={onDone}
      check={() => {
        const fe: Record<string, TMsg> = {};
        const iso = parseIndianDate(on);
        if (!iso) fe.reportedOn = dateMsg(on);
        const reportedTime = timeMsg(time);
        if (reportedTime) fe.reportedTime = reportedTime;
        if (Object.keys(fe).length) return { errors: fe };
        return { body: { reportedOn: iso, reportedTime: time.trim() } };
      }}
    >
      {(errors) => (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <DateInput label={t('resource.event.reportedOn')} required value={on} onChange={setOn} error={m(errors.reportedOn)} />
          <TextInput
            label={t('resource.event.reportedTime')}
            required
            placeholder="16:00"
            maxLength={5}
            value={time}
            onChange={(x) => setTime(x.currentTarget.value)}
            error={m(errors.reportedTime)}
          />
        </SimpleGrid>
      )}
    </ActionDialog>
  );
}
