import { Alert, Button, Group, Modal, SimpleGrid, Stack } from '@mantine/core';
import { PdfFileInput } from '../../ui/PdfFileInput.tsx';
import type { TFlashMsg } from '../../ui/flash.ts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';
import { api, ApiError } from '../../lib/api.ts';
import { pdfProblem } from '../../lib/pdf.ts';
import { BASE, orderFieldErrors, sanctionKeys } from './api.ts';
import type { TSanctionOrder } from './types.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { LimitedTextInput, LimitedTextarea } from '../../ui/LimitedTextInput.tsx';

const FIELDS = ['orderNo', 'orderDate', 'issuingOfficerName', 'issuingOfficerDesignation', 'remark', 'order'];

/** Corrects an unlocked order's particulars, or replaces its order / letter. */
export function EditOrderModal({
  order,
  opened,
  onClose,
  onSaved,
}: {
  order: TSanctionOrder;
  opened: boolean;
  onClose: () => void;
  onSaved: (message: TFlashMsg) => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [orderNo, setOrderNo] = useState(order.orderNo);
  const [orderDate, setOrderDate] = useState(formatDate(order.orderDate));
  const [officer, setOfficer] = useState(order.issuingOfficerName);
  const [designation, setDesignation] = useState(order.issuingOfficerDesignation);
  const [remark, setRemark] = useState(order.remark);
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const busy = useRef(false);

  const save = useMutation({
    mutationFn: async ({ fields, pdf }: { fields: Record<string, unknown>; pdf: File | null }) => {
      let next = await api<TSanctionOrder>('PUT', `${BASE}/${order.id}`, fields);
      if (pdf) {
        const fd = new FormData();
        fd.set('order', pdf, pdf.name);
        next = await api<TSanctionOrder>('PUT', `${BASE}/${order.id}/file`, fd);
      }
      return next;
    },
    onSuccess: async (next) => {
      qc.setQueryData(sanctionKeys.order(order.id), next);
      await qc.invalidateQueries({ queryKey: sanctionKeys.all });
      onSaved({ key: 'sanction.edit.saved' });
    },
    onError: (e) => {
      if (e instanceof ApiError) {
        const fe = e.fieldErrors();
        if (e.code.startsWith('file_') && !fe.order) fe.order = e.problem.title;
        setErrors(fe);
        setFormError(
          [
            e.problem.title,
            ...Object.entries(fe)
              .filter(([k]) => !FIELDS.includes(k))
              .map(([, v]) => v),
          ].join(' '),
        );
      } else setFormError(t('common.somethingWrong'));
    },
    onSettled: () => {
      busy.current = false;
    },
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy.current || save.isPending) return;
    busy.current = true;
    const { errors: fe, iso } = orderFieldErrors(t, { orderNo, orderDate, officer, designation });
    if (file) {
      const p = await pdfProblem(file);
      if (p) fe.order = t(`sanction.create.${p}`);
    }
    setErrors(fe);
    if (Object.keys(fe).length > 0) {
      setFormError(t('sanction.create.fixErrors'));
      busy.current = false;
      return;
    }
    setFormError(null);
    const fields: Record<string, unknown> = {
      orderNo: orderNo.trim(),
      orderDate: iso,
      issuingOfficerName: officer.trim(),
      issuingOfficerDesignation: designation.trim(),
      remark: remark.trim(),
      kind: order.kind,
    };
    if (order.refOrderId !== null) fields.refOrderId = order.refOrderId;
    save.mutate({ fields, pdf: file });
  };

  return (
    <Modal
      opened={opened}
      onClose={() => !save.isPending && onClose()}
      title={t('sanction.edit.title')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      size="lg"
      centered
    >
      <form onSubmit={submit} noValidate className="roams-sanction">
        <Stack>
          {formError && (
            <Alert color="red" role="alert">
              {formError}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <LimitedTextInput
              label={t('sanction.field.orderNo')}
              required
              maxLength={50}
              value={orderNo}
              onChange={(v) => setOrderNo(v)}
              error={errors.orderNo}
              data-autofocus
            />
            <DateInput label={t('sanction.field.orderDate')} required value={orderDate} onChange={setOrderDate} error={errors.orderDate} />
            <LimitedTextInput
              label={t('sanction.field.issuingOfficerName')}
              required
              maxLength={100}
              value={officer}
              onChange={setOfficer}
              error={errors.issuingOfficerName}
            />
            <LimitedTextInput
              label={t('sanction.field.issuingOfficerDesignation')}
              required
              maxLength={100}
              value={designation}
              onChange={setDesignation}
              error={errors.issuingOfficerDesignation}
            />
          </SimpleGrid>
          <PdfFileInput
            label={t('sanction.edit.replaceFile')}
            description={t('sanction.field.orderHint')}
            error={errors.order}
            value={file}
            onChange={setFile}
          />
          <LimitedTextarea
            label={t('sanction.field.remark')}
            maxLength={500}
            autosize
            minRows={2}
            value={remark}
            onChange={(v) => setRemark(v)}
            error={errors.remark}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={save.isPending}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
