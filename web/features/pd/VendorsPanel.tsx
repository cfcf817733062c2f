import { Alert, Anchor, Button, FileInput, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BANK_ACCOUNT_RE, IFSC_RE } from '../../../shared/domain/identifiers.ts';
import { msg, problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { advKeys, createVendor, MAX_VENDOR_PROOF_BYTES, PROOF_KINDS, proofUrl, type TVendor, useVendors, VENDOR_PROOF_FIELD } from './adv-api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

type TProofKind = (typeof PROOF_KINDS)[number];

/**
 * The account's vendor master (issue 18 item 4): every vendor with the masked bank account, IFSC,
 * bank, the kind of proof and a link to it, for anyone who may read the account; `mayAdd` (the PD
 * administrator, pd.withdraw, on an open account) adds the "Add a vendor" form.
 */
export function VendorsPanel({ accountId, mayAdd }: { accountId: number; mayAdd: boolean }) {
  const { t } = useTranslation();
  const { data, error } = useVendors(accountId);
  const items = data?.items ?? [];
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-vendors-h" data-testid="pd-vendors-panel">
      <Title order={3} id="pd-vendors-h" mb="xs">
        {t('pd-adv.vendor.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('pd-adv.vendor.hint')}
      </Text>
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error.message}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={800}>
        <Table withTableBorder striped data-testid="pd-vendors">
          <TableCaption>{t('pd-adv.vendor.caption')}</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pd-adv.vendor.name')}</Table.Th>
              <Table.Th>{t('pd-adv.vendor.bankAccountNo')}</Table.Th>
              <Table.Th>{t('pd-adv.vendor.ifsc')}</Table.Th>
              <Table.Th>{t('pd-adv.vendor.bankName')}</Table.Th>
              <Table.Th>{t('pd-adv.vendor.proofKind')}</Table.Th>
              <Table.Th>{t('pd-adv.vendor.proof')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data && items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text size="sm">{t('pd-adv.vendor.none')}</Text>
                </Table.Td>
              </Table.Tr>
            )}
            {items.map((v) => (
              <Table.Tr key={v.id} data-testid={`vendor-${v.id}`}>
                <Table.Th scope="row">{v.name}</Table.Th>
                <Table.Td>{v.bankAccountNo}</Table.Td>
                <Table.Td>{v.ifsc}</Table.Td>
                <Table.Td>{v.bankName}</Table.Td>
                <Table.Td>{t(`pd-adv.proofKind.${v.proofKind}`)}</Table.Td>
                <Table.Td>
                  <Anchor href={proofUrl(accountId, v.id)} target="_blank" rel="noopener" aria-label={t('pd-adv.vendor.viewProofLabel', { name: v.name })}>
                    {t('pd-adv.vendor.viewProof')}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {mayAdd && <AddVendorForm accountId={accountId} />}
    </Paper>
  );
}

type TVendorForm = { name: string; bankAccountNo: string; ifsc: string; bankName: string; proofKind: TProofKind | null; proof: File | null };
const EMPTY: TVendorForm = { name: '', bankAccountNo: '', ifsc: '', bankName: '', proofKind: null, proof: null };

/** The checks the browser makes before sending (the server makes them again). */
function checkVendor(f: TVendorForm): Record<string, TMsg> {
  const fe: Record<string, TMsg> = {};
  if (f.name.trim().length < 2) fe.name = msg('pd-adv.vendor.nameRequired');
  if (!BANK_ACCOUNT_RE.test(f.bankAccountNo.trim())) fe.bankAccountNo = msg('validation.bank_account_format');
  if (!IFSC_RE.test(f.ifsc.trim().toUpperCase())) fe.ifsc = msg('validation.ifsc_format');
  if (!f.proofKind) fe.proofKind = msg('pd-adv.vendor.proofKindRequired');
  if (!f.proof) fe[VENDOR_PROOF_FIELD] = msg('pd-adv.vendor.proofRequired');
  else if (f.proof.size > MAX_VENDOR_PROOF_BYTES) fe[VENDOR_PROOF_FIELD] = msg('pd-adv.vendor.proofTooLarge');
  return fe;
}

/** Adds a vendor to the master: name, bank account, IFSC, optional bank name and the proof, sent as multipart/form-data. */
function AddVendorForm({ accountId }: { accountId: number }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const [form, setForm] = useState<TVendorForm>(EMPTY);
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [title, setTitle] = useState<TMsg | null>(null);
  const [saved, setSaved] = useState<TVendor | null>(null);
  const set = <K extends keyof TVendorForm>(k: K, v: TVendorForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const save = useMutation({
    mutationFn: (body: FormData) => createVendor(accountId, body),
    onSuccess: async (v) => {
      await qc.invalidateQueries({ queryKey: advKeys.vendors(accountId) });
      setForm(EMPTY);
      setSaved(v);
    },
    onError: (e) => {
      const p = problemOf(e);
      setErrors(p.fields);
      setTitle(p.title);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    setSaved(null);
    const fe = checkVendor(form);
    setErrors(fe);
    if (Object.keys(fe).length) {
      setTitle(msg('contract.create.fixErrors'));
      return;
    }
    setTitle(null);
    const body = new FormData();
    body.set('name', form.name.trim());
    body.set('bankAccountNo', form.bankAccountNo.trim());
    body.set('ifsc', form.ifsc.trim().toUpperCase());
    if (form.bankName.trim()) body.set('bankName', form.bankName.trim());
    body.set('proofKind', form.proofKind!);
    body.set(VENDOR_PROOF_FIELD, form.proof!, form.proof!.name);
    save.mutate(body);
  };
  return (
    <Stack component="section" aria-labelledby="pd-vendor-add-h" mt="md" data-testid="pd-vendor-add">
      <Title order={4} id="pd-vendor-add-h">
        {t('pd-adv.vendor.addTitle')}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack>
          {title && (
            <Alert color="red" role="alert">
              {[m(title), ...Object.values(errors).map((x) => m(x))].join(' ')}
            </Alert>
          )}
          {saved && (
            <Alert color="green" role="status">
              {t('pd-adv.vendor.saved', { name: saved.name })}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('pd-adv.vendor.name')} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} error={m(errors.name)} required />
            <TextInput
              label={t('pd-adv.vendor.bankAccountNo')}
              value={form.bankAccountNo}
              onChange={(e) => set('bankAccountNo', e.currentTarget.value)}
              error={m(errors.bankAccountNo)}
              inputMode="numeric"
              autoComplete="off"
              required
            />
            <TextInput label={t('pd-adv.vendor.ifsc')} value={form.ifsc} onChange={(e) => set('ifsc', e.currentTarget.value)} error={m(errors.ifsc)} required />
            <TextInput
              label={t('pd-adv.vendor.bankNameOptional')}
              description={t('pd-adv.vendor.bankNameHint')}
              value={form.bankName}
              onChange={(e) => set('bankName', e.currentTarget.value)}
              error={m(errors.bankName)}
            />
            <Select
              label={t('pd-adv.vendor.proofKind')}
              data={PROOF_KINDS.map((k) => ({ value: k, label: t(`pd-adv.proofKind.${k}`) }))}
              value={form.proofKind}
              onChange={(v) => set('proofKind', v as TProofKind | null)}
              error={m(errors.proofKind)}
              required
            />
            <FileInput
              label={t('pd-adv.vendor.proofFile')}
              placeholder={t('pd-adv.vendor.chooseFile')}
              accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
              value={form.proof}
              onChange={(f) => set('proof', f)}
              error={m(errors[VENDOR_PROOF_FIELD])}
              clearable
              clearButtonProps={{ 'aria-label': t('pd-adv.vendor.clearFile') }}
              required
              data-testid="pd-vendor-proof"
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              {t('pd-adv.vendor.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
