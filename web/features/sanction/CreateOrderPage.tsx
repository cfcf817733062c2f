import { Alert, Button, Group, Paper, Select, SimpleGrid, Stack } from '@mantine/core';
import { PdfFileInput } from '../../ui/PdfFileInput.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';
import { api, ApiError } from '../../lib/api.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { pdfProblem } from '../../lib/pdf.ts';
import { BASE, orderFieldErrors, sanctionKeys, useLockedOrders, useOptions } from './api.ts';
import { orderFlash } from './flash.ts';
import type { TOrderKind, TSanctionOrder } from './types.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { LimitedTextInput, LimitedTextarea } from '../../ui/LimitedTextInput.tsx';

const FIELDS = ['departmentId', 'kind', 'refOrderId', 'orderNo', 'orderDate', 'issuingOfficerName', 'issuingOfficerDesignation', 'order', 'remark'] as const;

/** Manual section 8: "Create Outsourced Sanction Order" — the order's particulars and its PDF. */
export function CreateOrderPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { data: options } = useOptions();
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [kind, setKind] = useState<TOrderKind>('original');
  const [refOrderId, setRefOrderId] = useState<string | null>(null);
  const [orderNo, setOrderNo] = useState('');
  const [orderDate, setOrderDate] = useState('');
  const [officer, setOfficer] = useState('');
  const [designation, setDesignation] = useState('');
  const [remark, setRemark] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const busy = useRef(false);
  const errorRef = useRef<HTMLDivElement>(null);
  const { data: lockedOrders } = useLockedOrders(kind !== 'original');
  const needsDepartment = (options?.departments.length ?? 0) > 1;

  const create = useMutation({
    mutationFn: (body: FormData) => api<TSanctionOrder>('POST', BASE, body),
    onSuccess: async (order) => {
      await qc.invalidateQueries({ queryKey: sanctionKeys.all });
      orderFlash.set({ key: 'sanction.create.created', params: { orderNo: order.orderNo } });
      await navigate({ to: `/sanction-orders/${order.id}` });
    },
    onError: (e) => {
      if (e instanceof ApiError) {
        const fe = e.fieldErrors();
        if (e.code.startsWith('file_') && !fe.order) fe.order = e.problem.title;
        setErrors(fe);
        const known = new Set<string>(FIELDS);
        const other = Object.entries(fe)
          .filter(([k]) => !known.has(k))
          .map(([, v]) => v);
        setFormError([e.problem.title, ...other].join(' '));
      } else setFormError(t('common.somethingWrong'));
      requestAnimationFrame(() => errorRef.current?.focus());
    },
    onSettled: () => {
      busy.current = false;
    },
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy.current || create.isPending) return;
    busy.current = true;
    const { errors: fe, iso } = orderFieldErrors(t, { orderNo, orderDate, officer, designation });
    if (kind !== 'original' && !refOrderId) fe.refOrderId = t('sanction.create.refRequired');
    if (needsDepartment && !departmentId) fe.departmentId = t('sanction.create.departmentRequired');
    const pdf = await pdfProblem(file);
    if (pdf) fe.order = t(`sanction.create.${pdf}`);
    setErrors(fe);
    if (Object.keys(fe).length > 0) {
      setFormError(t('sanction.create.fixErrors'));
      busy.current = false;
      requestAnimationFrame(() => errorRef.current?.focus());
      return;
    }
    setFormError(null);
    const body = new FormData();
    body.set('orderNo', orderNo.trim());
    body.set('orderDate', iso!);
    body.set('issuingOfficerName', officer.trim());
    body.set('issuingOfficerDesignation', designation.trim());
    body.set('remark', remark.trim());
    body.set('kind', kind);
    if (kind !== 'original' && refOrderId) body.set('refOrderId', refOrderId);
    if (needsDepartment && departmentId) body.set('departmentId', departmentId);
    body.set('order', file!, file!.name);
    create.mutate(body);
  };

  return (
    <Paper withBorder p="lg" className="roams-sanction">
      <PageTitle title={t('sanction.create.title')} crumbs={[{ label: t('sanction.title'), to: '/sanction-orders' }]} />
      <form onSubmit={submit} noValidate>
        <Stack maw={900}>
          {formError && (
            <Alert color="red" role="alert" ref={errorRef} tabIndex={-1}>
              {formError}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {needsDepartment && (
              <Select
                label={t('sanction.field.departmentId')}
                required
                searchable
                value={departmentId}
                onChange={setDepartmentId}
                data={(options?.departments ?? []).map((d) => ({ value: String(d.id), label: name(d.nameEn, d.nameHi) }))}
                error={errors.departmentId}
              />
            )}
            <Select
              label={t('sanction.kind.label')}
              value={kind}
              allowDeselect={false}
              onChange={(v) => setKind((v as TOrderKind) ?? 'original')}
              data={(['original', 'reduction', 'cancellation'] as const).map((k) => ({ value: k, label: t(`sanction.kind.${k}`) }))}
              error={errors.kind}
            />
            {kind !== 'original' && (
              <Select
                label={t('sanction.field.refOrderId')}
                description={t('sanction.field.refOrderHint')}
                required
                searchable
                value={refOrderId}
                onChange={setRefOrderId}
                data={(lockedOrders?.items ?? []).map((o) => ({ value: String(o.id), label: `${o.orderNo} — ${formatDate(o.orderDate)}` }))}
                error={errors.refOrderId}
              />
            )}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <LimitedTextInput
              label={t('sanction.field.orderNo')}
              name="orderNo"
              required
              maxLength={50}
              value={orderNo}
              onChange={(v) => setOrderNo(v)}
              error={errors.orderNo}
            />
            <DateInput label={t('sanction.field.orderDate')} name="orderDate" required value={orderDate} onChange={setOrderDate} error={errors.orderDate} />
            <LimitedTextInput
              label={t('sanction.field.issuingOfficerName')}
              name="issuingOfficerName"
              required
              maxLength={100}
              value={officer}
              onChange={setOfficer}
              error={errors.issuingOfficerName}
            />
            <LimitedTextInput
              label={t('sanction.field.issuingOfficerDesignation')}
              name="issuingOfficerDesignation"
              required
              maxLength={100}
              value={designation}
              onChange={setDesignation}
              error={errors.issuingOfficerDesignation}
            />
          </SimpleGrid>
          <PdfFileInput
            label={t('sanction.field.order')}
            required
            description={t('sanction.field.orderHint')}
            error={errors.order}
            name="order"
            value={file}
            onChange={setFile}
          />
          <LimitedTextarea
            label={t('sanction.field.remark')}
            name="remark"
            placeholder={t('sanction.field.remarkPlaceholder')}
            maxLength={500}
            autosize
            minRows={2}
            value={remark}
            onChange={(v) => setRemark(v)}
            error={errors.remark}
          />
          <Group justify="flex-end">
            <Button variant="default" component={Link} to="/sanction-orders">
              {t('common.back')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={create.isPending}>
              {t('sanction.create.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
