import { Alert, Button, Checkbox, Group, Loader, Paper, Radio, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONSENT_TEXT_VERSION } from '../../../shared/contracts/resource.ts';
import { aadhaarProblem, normaliseAadhaar } from '../../../shared/domain/aadhaar.ts';
import { formatDate, formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { api, ApiError } from '../../lib/api.ts';
import { BASE, groupAadhaar, msg, problemOf, resourceKeys, type TMsg, type TResource, useMsg } from './api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

type TDone = { onDone: (next: TResource, message: TMsg) => Promise<void> };

/** Provider answers that trying again will not change: the department's alternative verification is the way on. */
const FINAL = new Set(['ekyc_no_mobile', 'ekyc_aadhaar_cancelled', 'ekyc_aadhaar_locked', 'ekyc_not_found']);

/** A provider or server refusal: its translated message, and whether trying again may help. */
function refusalOf(e: unknown): { msgs: TMsg[]; retry: boolean } {
  const p = problemOf(e);
  return { msgs: [p.title, ...Object.values(p.fields)], retry: !(e instanceof ApiError && FINAL.has(e.code)) };
}

function Refusal({ r }: { r: { msgs: TMsg[]; retry: boolean } | null }) {
  const { t } = useTranslation();
  const m = useMsg();
  if (!r) return null;
  return (
    <Alert color="red" role="alert" data-testid="kyc-error">
      {r.msgs.map((x) => m(x)).join(' ')} {t(r.retry ? 'resource.kyc.retry' : 'resource.kyc.noRetry')}
    </Alert>
  );
}

/**
 * Aadhaar e-KYC on the resource page: consent (the text in Hindi and English, both shown) and the
 * Aadhaar number (checked here too: 12 digits, first 2–9, Verhoeff) → "Send OTP" → the OTP sent to
 * the masked mobile → the result, mismatches highlighted with how to resolve them.
 */
export function KycPanel({ r, onDone }: { r: TResource } & TDone) {
  const { t } = useTranslation();
  const done = r.kycStatus === 'verified' || r.kycStatus === 'alternative';
  return (
    <Paper withBorder p="md" mb="md" data-testid="kyc-panel">
      <Title order={3} mb="xs">
        {t('resource.kyc.title')}
      </Title>
      {r.aadhaarMasked && (
        <Text size="sm" mb="xs">
          {t('resource.field.aadhaar')}: <strong data-testid="kyc-aadhaar">{r.aadhaarMasked}</strong>
        </Text>
      )}
      {r.kyc && <KycResult r={r} />}
      {r.alternative && (
        <Alert color="green" mb="sm" data-testid="kyc-alternative">
          {t('resource.kyc.alternativeDone', { doc: t(`resource.altDoc.${r.alternative.docType}`), number: r.alternative.docNumberMasked })}
        </Alert>
      )}
      {!done && r.can.kyc && r.kycStatus === 'mismatch' && <ResolveForm r={r} onDone={onDone} />}
      {!done && r.can.kyc && ['none', 'consented', 'aadhaar_entered'].includes(r.kycStatus) && <StartForm r={r} onDone={onDone} />}
      {!done && r.can.kyc && r.kycStatus === 'otp_sent' && <OtpForm r={r} onDone={onDone} />}
      {!done && !r.can.kyc && !r.kyc && <Text size="sm">{t(`resource.kycStatus.${r.kycStatus}`)}</Text>}
    </Paper>
  );
}

/** The result compared with the entry: each field, what was entered, what e-KYC says; mismatches in red. */
function KycResult({ r }: { r: TResource }) {
  const { t } = useTranslation();
  const kyc = r.kyc!;
  const bad = new Set(kyc.resolution === 'corrected' ? [] : kyc.mismatches.map((x) => x.field));
  const row = (field: 'name' | 'dob', entered: string, fromKyc: string) => (
    <Table.Tr key={field} data-mismatch={bad.has(field) ? 'true' : undefined} style={bad.has(field) ? { background: '#fff0f0' } : undefined}>
      <Table.Th scope="row">{t(`resource.kyc.field.${field}`)}</Table.Th>
      <Table.Td>{entered}</Table.Td>
      <Table.Td>{fromKyc}</Table.Td>
      <Table.Td>
        <Text size="sm" fw={600} c={bad.has(field) ? 'red.9' : '#1b6e2e'}>
          {t(bad.has(field) ? 'resource.kyc.differs' : 'resource.kyc.matches')}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
  return (
    <Stack gap="xs" mb="sm">
      <Text size="sm">{t('resource.kyc.verifiedAt', { at: formatDateTimeIst(kyc.verifiedAt) })}</Text>
      <Table.ScrollContainer minWidth={560}>
        <Table withTableBorder data-testid="kyc-result">
          <TableCaption>{t('resource.kyc.resultCaption')}</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('resource.kyc.colField')}</Table.Th>
              <Table.Th scope="col">{t('resource.kyc.colEntered')}</Table.Th>
              <Table.Th scope="col">{t('resource.kyc.colKyc')}</Table.Th>
              <Table.Th scope="col">{t('resource.kyc.colResult')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {row('name', [r.nameEn, r.nameHi].filter(Boolean).join(' / '), kyc.name)}
            {row('dob', formatDate(r.dob), formatDate(kyc.dob))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {kyc.resolution === 'explained' && <Text size="sm">{t('resource.kyc.explained', { remark: kyc.resolutionRemark })}</Text>}
    </Stack>
  );
}

/** Consent (once) and the Aadhaar number, then "Send OTP" — one form, as the user sees one step. */
function StartForm({ r, onDone }: { r: TResource } & TDone) {
  const { t, i18n } = useTranslation();
  const m = useMsg();
  // The consent is shown in Hindi and in English whatever the page's language: the other
  // language's catalogs are loaded here (web/lib/i18n.ts loads only the page's language).
  const bothLoaded = () => i18n.hasResourceBundle('hi', 'translation') && i18n.hasResourceBundle('en', 'translation');
  const [both, setBoth] = useState(bothLoaded);
  useEffect(() => {
    if (!both) void i18n.loadLanguages(['hi', 'en']).then(() => setBoth(bothLoaded()));
  });
  const [agreed, setAgreed] = useState(Boolean(r.consent));
  const [givenBy, setGivenBy] = useState(r.consent?.givenBy ?? (r.nameEn || r.nameHi));
  const [aadhaar, setAadhaar] = useState('');
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [refusal, setRefusal] = useState<{ msgs: TMsg[]; retry: boolean } | null>(null);
  const busy = useRef(false);
  const qc = useQueryClient();
  const send = useMutation({
    mutationFn: async () => {
      if (!r.consent)
        await api<TResource>('POST', `${BASE}/${r.id}/kyc/consent`, {
          givenBy: givenBy.trim(),
          textVersion: CONSENT_TEXT_VERSION,
          language: i18n.language === 'hi' ? 'hi' : 'en',
        });
      if (aadhaar.trim()) await api<TResource>('POST', `${BASE}/${r.id}/kyc/aadhaar`, { aadhaar: normaliseAadhaar(aadhaar) });
      return api<{ maskedMobile: string; resource: TResource }>('POST', `${BASE}/${r.id}/kyc/otp`);
    },
    onSuccess: async (x) => {
      setRefusal(null);
      await onDone(x.resource, msg('resource.kyc.otpSent', { mobile: x.maskedMobile }));
    },
    onError: async (e) => {
      const p = problemOf(e);
      if (p.fields.aadhaar) setErrors({ aadhaar: p.fields.aadhaar });
      setRefusal(refusalOf(e));
      // The consent or the number may have been recorded before the refusal: show the record as it now is.
      await qc.invalidateQueries({ queryKey: resourceKeys.one(r.id) });
    },
    onSettled: () => {
      busy.current = false;
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy.current || send.isPending) return;
    const fe: Record<string, TMsg> = {};
    if (!agreed) fe.consent = msg('resource.kyc.consentRequired');
    if (!givenBy.trim()) fe.givenBy = msg('validation.required');
    if (aadhaar.trim() || !r.aadhaarMasked) {
      const p = aadhaarProblem(aadhaar);
      if (p) fe.aadhaar = msg(`validation.${p}`);
    }
    setErrors(fe);
    if (Object.keys(fe).length) return;
    busy.current = true;
    send.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Refusal r={refusal} />
        <Paper withBorder p="sm" bg="gray.0" data-testid="kyc-consent-text">
          <Text size="sm" fw={600} mb={4}>
            {t('resource.kyc.consentTitle')}
          </Text>
          {both ? (
            <>
              <Text size="sm" lang="hi" mb="xs">
                {t('resource.kyc.consentText', { lng: 'hi' })}
              </Text>
              <Text size="sm" lang="en">
                {t('resource.kyc.consentText', { lng: 'en' })}
              </Text>
            </>
          ) : (
            <Loader size="sm" aria-label={t('common.loading')} />
          )}
          <Text size="xs" c="dark.6" mt={4}>
            {t('resource.kyc.consentVersion', { version: CONSENT_TEXT_VERSION })}
          </Text>
        </Paper>
        {r.consent ? (
          <Text size="sm" data-testid="kyc-consent-recorded">
            {t('resource.kyc.consentRecorded', { name: r.consent.givenBy, at: formatDateTimeIst(r.consent.at) })}
          </Text>
        ) : (
          <>
            <TextInput
              label={t('resource.kyc.givenBy')}
              required
              maxLength={100}
              value={givenBy}
              onChange={(e) => setGivenBy(e.currentTarget.value)}
              error={m(errors.givenBy)}
            />
            <Checkbox label={t('resource.kyc.consentCheck')} checked={agreed} onChange={(e) => setAgreed(e.currentTarget.checked)} error={m(errors.consent)} />
          </>
        )}
        <TextInput
          label={r.aadhaarMasked ? t('resource.kyc.aadhaarChange') : t('resource.field.aadhaarNumber')}
          description={t('resource.kyc.aadhaarHint')}
          required={!r.aadhaarMasked}
          inputMode="numeric"
          autoComplete="off"
          maxLength={14}
          w={320}
          value={aadhaar}
          onChange={(e) => {
            setAadhaar(groupAadhaar(e.currentTarget.value));
            setErrors((x) => ({ ...x, aadhaar: undefined as unknown as TMsg }));
          }}
          error={m(errors.aadhaar)}
        />
        <Group>
          <Button type="submit" loading={send.isPending} disabled={send.isPending}>
            {t('resource.kyc.sendOtp')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The OTP sent to the Aadhaar-linked mobile: verify, or resend. */
function OtpForm({ r, onDone }: { r: TResource } & TDone) {
  const { t } = useTranslation();
  const m = useMsg();
  const [otp, setOtp] = useState('');
  const [error, setError] = useState<TMsg | null>(null);
  const [refusal, setRefusal] = useState<{ msgs: TMsg[]; retry: boolean } | null>(null);
  const busy = useRef(false);
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: resourceKeys.one(r.id) });
  const verify = useMutation({
    mutationFn: (code: string) => api<TResource>('POST', `${BASE}/${r.id}/kyc/verify`, { otp: code }),
    onSuccess: async (next) => {
      setRefusal(null);
      await onDone(next, msg(next.kycStatus === 'mismatch' ? 'resource.kyc.mismatchFound' : 'resource.kyc.verified'));
    },
    onError: async (e) => {
      setRefusal(refusalOf(e));
      setOtp('');
      await refresh();
    },
    onSettled: () => {
      busy.current = false;
    },
  });
  const resend = useMutation({
    mutationFn: () => api<{ maskedMobile: string; resource: TResource }>('POST', `${BASE}/${r.id}/kyc/otp`),
    onSuccess: async (x) => {
      setRefusal(null);
      await onDone(x.resource, msg('resource.kyc.otpResent', { mobile: x.maskedMobile }));
    },
    onError: async (e) => {
      setRefusal(refusalOf(e));
      await refresh();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy.current || verify.isPending) return;
    if (!/^\d{6}$/.test(otp.trim())) return setError(msg('validation.otp_format'));
    setError(null);
    busy.current = true;
    verify.mutate(otp.trim());
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Refusal r={refusal} />
        <Text size="sm" data-testid="kyc-otp-sent">
          {t('resource.kyc.otpSentTo', { mobile: r.otpSentTo ?? '' })}
        </Text>
        <TextInput
          label={t('resource.kyc.otp')}
          required
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          w={200}
          value={otp}
          onChange={(e) => {
            setOtp(e.currentTarget.value.replace(/\D/g, ''));
            setError(null);
          }}
          error={m(error)}
        />
        <Group>
          <Button type="submit" loading={verify.isPending} disabled={verify.isPending || resend.isPending}>
            {t('resource.kyc.verify')}
          </Button>
          <Button variant="outline" onClick={() => resend.mutate()} loading={resend.isPending} disabled={verify.isPending || resend.isPending}>
            {t('resource.kyc.resend')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** How to resolve a mismatch: correct the entry (then say so) or explain the difference. */
function ResolveForm({ r, onDone }: { r: TResource } & TDone) {
  const { t } = useTranslation();
  const m = useMsg();
  const [how, setHow] = useState<'corrected' | 'explained'>('corrected');
  const [remark, setRemark] = useState('');
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [refusal, setRefusal] = useState<{ msgs: TMsg[]; retry: boolean } | null>(null);
  const resolve = useMutation({
    mutationFn: () => api<TResource>('POST', `${BASE}/${r.id}/kyc/resolve`, { resolution: how, remark: remark.trim() }),
    onSuccess: async (next) => onDone(next, msg('resource.kyc.resolved')),
    onError: (e) => {
      const p = problemOf(e);
      setErrors(p.fields);
      setRefusal({ msgs: [p.title], retry: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (resolve.isPending) return;
    if (how === 'explained' && !remark.trim()) return setErrors({ remark: msg('validation.required') });
    setErrors({});
    resolve.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Alert color="yellow" data-testid="kyc-mismatch-help">
          {t('resource.kyc.mismatchHelp')}{' '}
          {r.can.edit && (
            <Link to={`/resources/${r.id}/edit`} style={{ color: 'inherit', fontWeight: 600 }}>
              {t('resource.kyc.editEntry')}
            </Link>
          )}
        </Alert>
        <Refusal r={refusal} />
        <Radio.Group label={t('resource.kyc.resolveHow')} value={how} onChange={(x) => setHow(x as 'corrected' | 'explained')}>
          <Stack gap={6} mt={6}>
            <Radio value="corrected" label={t('resource.kyc.resolveCorrected')} />
            <Radio value="explained" label={t('resource.kyc.resolveExplained')} />
          </Stack>
        </Radio.Group>
        {(errors.nameEn || errors.dob) && (
          <Alert color="red">
            {[errors.nameEn, errors.dob]
              .filter(Boolean)
              .map((x) => m(x))
              .join(' ')}
          </Alert>
        )}
        {how === 'explained' && (
          <Textarea
            label={t('resource.kyc.remark')}
            required
            maxLength={500}
            value={remark}
            onChange={(e) => setRemark(e.currentTarget.value)}
            error={m(errors.remark)}
          />
        )}
        <Group>
          <Button type="submit" loading={resolve.isPending} disabled={resolve.isPending}>
            {t('resource.kyc.resolve')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
