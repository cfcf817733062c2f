import { Alert, Button, FileInput, Group, Image, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GENDERS, MAX_PHOTO_BYTES, QUALIFICATIONS, RELATIONS, type TResourceInput } from '../../../shared/contracts/resource.ts';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { BANK_ACCOUNT_RE } from '../../../shared/domain/identifiers.ts';
import { MOBILE_RE } from '../../../shared/domain/validators.ts';
import { api, newIdempotencyKey } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { dateProblem, parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { formatBytes } from '../../ui/format.ts';
import { LimitedTextInput } from '../../ui/LimitedTextInput.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import {
  ageOn,
  BASE,
  imageKindOf,
  msg,
  problemOf,
  resourceFlash,
  resourceKeys,
  type TMsg,
  type TResource,
  type TResourceOptions,
  useMsg,
  useResource,
  useResourceOptions,
} from './api.ts';

type TValues = {
  contractId: string | null;
  post: string | null;
  nameEn: string;
  nameHi: string;
  relation: string;
  relativeName: string;
  dob: string;
  gender: string | null;
  mobile: string;
  address: string;
  qualification: string | null;
  bankAccount: string;
  ifsc: string;
  uan: string;
  esicIp: string;
};

const FIELDS = [
  'contractId',
  'post',
  'nameEn',
  'nameHi',
  'relation',
  'relativeName',
  'dob',
  'gender',
  'mobile',
  'address',
  'qualification',
  'bankAccount',
  'ifsc',
  'uan',
  'esicIp',
  'photo',
];

/** A form field's label key under resource.field, where it is not named like the field. */
const FIELD_LABEL: Record<string, string> = { contractId: 'contract', skillLevelId: 'post', postNameId: 'post' };

function initial(r: TResource | undefined): TValues {
  return {
    contractId: r ? String(r.contractId) : null,
    post: r ? `${r.skillLevelId}-${r.postNameId}` : null,
    nameEn: r?.nameEn ?? '',
    nameHi: r?.nameHi ?? '',
    relation: r?.relation ?? 'father',
    relativeName: r?.relativeName ?? '',
    dob: r ? formatDate(r.dob) : '',
    gender: r?.gender ?? null,
    mobile: r?.mobile ?? '',
    address: r?.address ?? '',
    qualification: r?.qualification ?? null,
    bankAccount: r?.bankAccount ?? '',
    ifsc: r?.ifsc ?? '',
    uan: r?.uan ?? '',
    esicIp: r?.esicIp ?? '',
  };
}

/** The checks the server makes, made first here so a mistake is named on its field at once. */
async function check(v: TValues, photo: File | null, retirementAge: number): Promise<Record<string, TMsg>> {
  const fe: Record<string, TMsg> = {};
  const required = msg('validation.required');
  if (!v.contractId) fe.contractId = required;
  if (!v.post) fe.post = required;
  if (!v.nameEn.trim() && !v.nameHi.trim()) fe.nameEn = msg('resource.form.nameRequired');
  if (!v.relativeName.trim()) fe.relativeName = required;
  const dob = parseIndianDate(v.dob);
  if (!v.dob.trim()) fe.dob = required;
  else if (!dob) fe.dob = msg(`validation.${dateProblem(v.dob)}`);
  else {
    const age = ageOn(dob, todayIst());
    if (age < 18 || age >= retirementAge) fe.dob = msg('resource.form.ageRange', { max: retirementAge });
  }
  if (!v.gender) fe.gender = required;
  if (!MOBILE_RE.test(v.mobile.trim())) fe.mobile = msg('validation.mobile_format');
  if (!v.address.trim()) fe.address = required;
  if (!v.qualification) fe.qualification = required;
  if (!BANK_ACCOUNT_RE.test(v.bankAccount.trim())) fe.bankAccount = msg('validation.bank_account_format');
  if (!/^[A-Z]{4}0[A-Z0-9]{6}$/.test(v.ifsc.trim().toUpperCase())) fe.ifsc = msg('validation.ifsc_format');
  if (v.uan.trim() && !/^\d{12}$/.test(v.uan.trim())) fe.uan = msg('validation.uan_format');
  if (v.esicIp.trim() && !/^\d{10}$/.test(v.esicIp.trim())) fe.esicIp = msg('validation.esic_ip_format');
  if (photo) {
    if (photo.size > MAX_PHOTO_BYTES) fe.photo = msg('resource.form.photoTooLarge', { max: formatBytes(MAX_PHOTO_BYTES) });
    else if (!(await imageKindOf(photo))) fe.photo = msg('validation.file_not_image');
  }
  return fe;
}

function toBody(v: TValues): TResourceInput {
  const [skillLevelId, postNameId] = (v.post ?? '0-0').split('-').map(Number) as [number, number];
  return {
    contractId: Number(v.contractId),
    skillLevelId,
    postNameId,
    nameEn: v.nameEn.trim(),
    nameHi: v.nameHi.trim(),
    relation: v.relation as TResourceInput['relation'],
    relativeName: v.relativeName.trim(),
    dob: parseIndianDate(v.dob)!,
    gender: v.gender as TResourceInput['gender'],
    mobile: v.mobile.trim(),
    address: v.address.trim(),
    qualification: v.qualification as TResourceInput['qualification'],
    bankAccount: v.bankAccount.trim(),
    ifsc: v.ifsc.trim().toUpperCase(),
    uan: v.uan.trim(),
    esicIp: v.esicIp.trim(),
  };
}

/** The posts of a contract as choices: "Accountant (High Skilled) — Office (79): 2 of 4 filled". */
function postChoices(
  options: TResourceOptions | undefined,
  contractId: string | null,
  name: (en: string, hi: string) => string,
  filled: (deployed: number, positions: number) => string,
) {
  const c = options?.contracts.find((x) => String(x.id) === contractId);
  const seen = new Set<string>();
  const out: { value: string; label: string }[] = [];
  for (const p of c?.posts ?? []) {
    const value = `${p.skillLevelId}-${p.postNameId}`;
    if (seen.has(value)) continue;
    seen.add(value);
    out.push({
      value,
      label: `${name(p.postNameEn, p.postNameHi)} (${name(p.skillLevelNameEn, p.skillLevelNameHi)}) — ${filled(p.deployed, p.positions)}`,
    });
  }
  return out;
}

/** The photo types the server takes (and a browser can preview). */
const PREVIEW_TYPES = ['image/jpeg', 'image/png'];

/** Add (or, while a draft, edit) a resource: particulars, post from the contract's posts, photo with a preview. */
export function ResourceForm({ resource }: { resource?: TResource }) {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  const m = useMsg();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { data: options } = useResourceOptions();
  const [v, setV] = useState<TValues>(() => initial(resource));
  const [photo, setPhoto] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  // The image would not load (a file named .jpg that is not one, or a stored photo that is gone): no broken image.
  const [previewBroken, setPreviewBroken] = useState(false);
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [formError, setFormError] = useState<TMsg[] | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const busy = useRef(false);
  // One Idempotency-Key per opened form: a repeat of the save (a retry, a second tab's click) adds one draft.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const retirementAge = options?.retirementAge ?? 62;

  // The preview as a data: URL (the content security policy allows data: images, not blob:).
  // A file that is not a JPEG or PNG by its type gets no preview (a broken image) but the error at once.
  useEffect(() => {
    setPreview(null);
    setPreviewBroken(false);
    if (!photo) return;
    if (!PREVIEW_TYPES.includes(photo.type)) {
      setErrors((x) => ({ ...x, photo: msg('validation.file_not_image') }));
      return;
    }
    const reader = new FileReader();
    reader.onload = () => setPreview(typeof reader.result === 'string' ? reader.result : null);
    reader.readAsDataURL(photo);
    return () => reader.abort();
  }, [photo]);
  // One active contract: take it.
  const only = options?.contracts.length === 1 ? String(options.contracts[0]!.id) : null;
  useEffect(() => {
    if (only && !v.contractId) setV((x) => ({ ...x, contractId: only }));
  }, [only, v.contractId]);

  const set = <K extends keyof TValues>(k: K, value: TValues[K]) => {
    setV((x) => ({ ...x, [k]: value, ...(k === 'contractId' ? { post: null } : {}) }));
    setErrors((x) => {
      const { [k]: _, ...rest } = x;
      return rest;
    });
  };

  const save = useMutation({
    mutationFn: async (body: TResourceInput) => {
      const saved = resource ? await api<TResource>('PUT', `${BASE}/${resource.id}`, body) : await api<TResource>('POST', BASE, body, { idempotencyKey });
      if (!photo) return { saved, photoError: null };
      const fd = new FormData();
      fd.set('photo', photo, photo.name);
      try {
        return { saved: await api<TResource>('PUT', `${BASE}/${saved.id}/photo`, fd), photoError: null };
      } catch (e) {
        const p = problemOf(e);
        return { saved, photoError: p.fields.photo ?? p.title };
      }
    },
    onSuccess: async ({ saved, photoError }) => {
      await qc.invalidateQueries({ queryKey: resourceKeys.all });
      resourceFlash.set([msg(resource ? 'resource.form.updated' : 'resource.form.created'), ...(photoError ? [photoError] : [])]);
      await navigate({ to: `/resources/${saved.id}` });
    },
    onError: (e) => {
      const p = problemOf(e);
      const fe: Record<string, TMsg> = {};
      const other: TMsg[] = [];
      for (const [k, x] of Object.entries(p.fields)) {
        const key = k === 'skillLevelId' || k === 'postNameId' ? 'post' : k;
        if (FIELDS.includes(key)) fe[key] = x;
        else other.push(x);
      }
      setErrors(fe);
      setFormError([p.title, ...other]);
      requestAnimationFrame(() => errorRef.current?.focus());
    },
    onSettled: () => {
      busy.current = false;
    },
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy.current || save.isPending) return;
    busy.current = true;
    const fe = await check(v, photo, retirementAge);
    setErrors(fe);
    if (Object.keys(fe).length > 0) {
      busy.current = false;
      setFormError([msg('resource.form.fixErrors')]);
      requestAnimationFrame(() => errorRef.current?.focus());
      return;
    }
    setFormError(null);
    save.mutate(toBody(v));
  };

  // The summary names the fields to correct (in the page's language), not only "marked in red".
  const fieldsToFix = [...new Set(Object.keys(errors).map((k) => `resource.field.${FIELD_LABEL[k] ?? k}`))].filter((k) => i18n.exists(k)).map((k) => t(k));

  const text = (k: keyof TValues, label: string, max: number, extra: Record<string, unknown> = {}) => (
    <LimitedTextInput label={label} maxLength={max} value={v[k] as string} onChange={(x) => set(k, x)} error={m(errors[k])} {...extra} />
  );
  // Fixed-length identifiers: a plain box (a "10 of 10 characters" counter says nothing useful there).
  const code = (k: keyof TValues, label: string, max: number, extra: Record<string, unknown> = {}) => (
    <TextInput label={label} maxLength={max} value={v[k] as string} onChange={(e) => set(k, e.currentTarget.value)} error={m(errors[k])} {...extra} />
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={1000}>
        {formError && (
          <Alert color="red" role="alert" ref={errorRef} tabIndex={-1} data-testid="resource-form-error">
            {formError.map((x) => m(x)).join(' ')}
            {fieldsToFix.length > 0 && ` ${t('resource.form.fieldsToFix', { fields: fieldsToFix.join(', ') })}`}
          </Alert>
        )}
        {options && options.contracts.length === 0 && <Alert color="yellow">{t('resource.form.noContracts')}</Alert>}
        <Title order={3}>{t('resource.form.postTitle')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('resource.field.contract')}
            required
            searchable
            value={v.contractId}
            onChange={(x) => set('contractId', x)}
            data={(options?.contracts ?? []).map((c) => ({
              value: String(c.id),
              label: `${c.contractNo} (${formatDate(c.startDate)} – ${formatDate(c.endDate)})`,
            }))}
            error={m(errors.contractId)}
          />
          <Select
            label={t('resource.field.post')}
            required
            value={v.post}
            onChange={(x) => set('post', x)}
            data={postChoices(options, v.contractId, name, (deployed, positions) => t('resource.form.filled', { deployed, positions }))}
            error={m(errors.post)}
          />
        </SimpleGrid>
        <Title order={3}>{t('resource.form.personTitle')}</Title>
        <Text size="sm">{t('resource.form.asInAadhaar')}</Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {text('nameEn', t('resource.field.nameEn'), 100, { autoComplete: 'off' })}
          {text('nameHi', t('resource.field.nameHi'), 100, { autoComplete: 'off', lang: 'hi' })}
          <Select
            label={t('resource.field.relation')}
            required
            allowDeselect={false}
            value={v.relation}
            onChange={(x) => set('relation', x ?? 'father')}
            data={RELATIONS.map((r) => ({ value: r, label: t(`resource.relation.${r}`) }))}
          />
          {text('relativeName', t('resource.field.relativeName'), 100, { required: true })}
          <DateInput label={t('resource.field.dob')} required value={v.dob} onChange={(x) => set('dob', x)} error={m(errors.dob)} />
          <Select
            label={t('resource.field.gender')}
            required
            value={v.gender}
            onChange={(x) => set('gender', x)}
            data={GENDERS.map((g) => ({ value: g, label: t(`resource.gender.${g}`) }))}
            error={m(errors.gender)}
          />
          {code('mobile', t('resource.field.mobile'), 10, { required: true, inputMode: 'numeric', autoComplete: 'off' })}
          <Select
            label={t('resource.field.qualification')}
            required
            value={v.qualification}
            onChange={(x) => set('qualification', x)}
            data={QUALIFICATIONS.map((q) => ({ value: q, label: t(`resource.qualification.${q}`) }))}
            error={m(errors.qualification)}
          />
        </SimpleGrid>
        <Textarea
          label={t('resource.field.address')}
          required
          maxLength={500}
          autosize
          minRows={2}
          value={v.address}
          onChange={(e) => set('address', e.currentTarget.value)}
          error={m(errors.address)}
        />
        <Title order={3}>{t('resource.form.bankTitle')}</Title>
        <Text size="sm">{t('resource.form.ownName')}</Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {code('bankAccount', t('resource.field.bankAccount'), 18, { required: true, inputMode: 'numeric', autoComplete: 'off' })}
          {code('ifsc', t('resource.field.ifsc'), 11, {
            required: true,
            autoComplete: 'off',
            description: t('resource.form.ifscHint'),
            onBlur: () => set('ifsc', v.ifsc.trim().toUpperCase()),
          })}
          {code('uan', t('resource.field.uan'), 12, { inputMode: 'numeric', autoComplete: 'off', description: t('resource.form.uanHint') })}
          {code('esicIp', t('resource.field.esicIp'), 10, { inputMode: 'numeric', autoComplete: 'off', description: t('resource.form.esicHint') })}
        </SimpleGrid>
        <Group align="flex-start">
          {/* The page's language on the chooser, not the browser's "Choose File / No file chosen" (issue 12.4). */}
          <FileInput
            name="photo"
            label={t('resource.field.photo')}
            description={t('resource.form.photoHint', { max: formatBytes(MAX_PHOTO_BYTES) })}
            error={m(errors.photo)}
            accept="image/jpeg,image/png,.jpg,.jpeg,.png"
            placeholder={t('common.chooseFile')}
            value={photo}
            clearable
            clearButtonProps={{ 'aria-label': t('common.clearFile', { name: t('resource.field.photo') }) }}
            miw={280}
            onChange={(f) => {
              setPhoto(f ?? null);
              setErrors((x) => {
                const { photo: _, ...rest } = x;
                return rest;
              });
            }}
          />
          {(preview || (resource?.hasPhoto && !photo)) && !previewBroken && (
            <Image
              onError={() => {
                setPreviewBroken(true);
                if (photo) setErrors((x) => ({ ...x, photo: msg('validation.file_not_image') }));
              }}
              src={preview ?? `${BASE}/${resource!.id}/photo`}
              alt={t('resource.form.photoPreview')}
              w={110}
              h={140}
              fit="cover"
              radius="sm"
              data-testid="resource-photo-preview"
            />
          )}
        </Group>
        <Group justify="flex-end">
          <Button variant="default" component={Link} to={resource ? `/resources/${resource.id}` : '/resources'}>
            {t('common.back')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={save.isPending}>
            {t('resource.form.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function AddResourcePage() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('resource.form.addTitle')} crumbs={[{ label: t('resource.title'), to: '/resources' }]} />
      <ResourceForm />
    </Paper>
  );
}

export function EditResourcePage() {
  const { t } = useTranslation();
  const params = useParams({ strict: false }) as { id?: string };
  const { data, isLoading, error } = useResource(Number(params.id));
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('resource.form.editTitle')} crumbs={[{ label: t('resource.title'), to: '/resources' }]} />
      {isLoading ? (
        <Text>{t('common.loading')}</Text>
      ) : error || !data ? (
        <Alert color="red" role="alert">
          {t('resource.detail.notFound')}
        </Alert>
      ) : (
        <ResourceForm resource={data} />
      )}
    </Paper>
  );
}
