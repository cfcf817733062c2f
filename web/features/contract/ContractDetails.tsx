import { Anchor, Button, Group, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { PdfFileInput } from '../../ui/PdfFileInput.tsx';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';
import { api } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { pdfProblem } from '../../lib/pdf.ts';
import { formatBytes } from '../../ui/format.ts';
import { BASE, formatBp, msg, problemOf, type TContract, type TContractVersion, type TMsg, useMsg } from './api.ts';
import { Tag } from './Tag.tsx';
import { TableCaption } from '../../ui/TableCaption.tsx';

/** A label / value pair in a two-pair row of a details table. */
export function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Table.Th w={220} scope="row">
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </>
  );
}

/** The version's signed PDF, or a red note that it has none yet. */
export function DocLink({ contractId, v }: { contractId: number; v: TContractVersion }) {
  const { t } = useTranslation();
  return v.document ? (
    <Anchor href={`${BASE}/${contractId}/versions/${v.versionNo}/document`} target="_blank" rel="noopener">
      {t('contract.detail.download')}
      <VisuallyHidden>
        {' '}
        ({t('contract.field.version')} {v.versionNo})
      </VisuallyHidden>
    </Anchor>
  ) : (
    <Text span size="sm" c="red.9">
      {t('contract.detail.noDocument')}
    </Text>
  );
}

/** The contract's identity: number, date, agency and its status, office, department, procurement. */
export function IdentityTable({ c }: { c: TContract }) {
  const { t } = useTranslation();
  const name = useBilingual();
  const verified = c.agencyStatus === 'verified';
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table withTableBorder variant="vertical" mb="md">
        <TableCaption>{t('contract.detail.heading')}</TableCaption>
        <Table.Tbody>
          <Table.Tr>
            <Detail label={t('contract.field.contractNo')}>{c.contractNo}</Detail>
            <Detail label={t('contract.field.contractDate')}>{formatDate(c.contractDate)}</Detail>
          </Table.Tr>
          <Table.Tr>
            <Detail label={t('contract.field.agency')}>{c.agencyName}</Detail>
            <Detail label={t('contract.field.agencyStatus')}>
              <Tag color={verified ? '#1b6e2e' : 'red.9'} variant={verified ? 'outline' : 'filled'} data-testid="contract-agency-status">
                {t(`contract.agencyStatus.${c.agencyStatus}`, { defaultValue: c.agencyStatus })}
              </Tag>
            </Detail>
          </Table.Tr>
          <Table.Tr>
            <Detail label={t('contract.field.office')}>{`${name(c.officeNameEn, c.officeNameHi)} (${c.officeId})`}</Detail>
            <Detail label={t('contract.field.department')}>{name(c.departmentNameEn, c.departmentNameHi)}</Detail>
          </Table.Tr>
          <Table.Tr>
            <Detail label={t('contract.field.procurementMode')}>{t(`contract.procurement.${c.procurementMode}`)}</Detail>
            <Detail label={t('contract.field.gem')}>{c.procurementMode === 'gem' ? `${c.gemContractNo} / ${c.gemBidNo || '—'}` : '—'}</Detail>
          </Table.Tr>
          <Table.Tr>
            <Detail label={t('contract.field.createdAt')}>{c.registeredOn ? formatDate(c.registeredOn) : '—'}</Detail>
            <Detail label={t('contract.field.isLegacy')}>{t(c.isLegacy ? 'common.yes' : 'common.no')}</Detail>
          </Table.Tr>
          {c.terminatedOn && (
            <Table.Tr>
              <Detail label={t('contract.field.terminatedOn')}>{formatDate(c.terminatedOn)}</Detail>
              <Detail label={t('contract.field.terminationReason')}>{c.terminationReason}</Detail>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The terms of one version (the one in force, else the draft): period, DDO, budget, statutory rates, its document. */
export function TermsTable({ contractId, v }: { contractId: number; v: TContractVersion }) {
  const { t } = useTranslation();
  const name = useBilingual();
  return (
    <>
      <Title order={3} mb="xs">
        {v.state === 'in_force' ? t('contract.detail.terms') : t('contract.detail.termsDraft')} ({t('contract.field.version')} {v.versionNo})
      </Title>
      <Table.ScrollContainer minWidth={760}>
        <Table withTableBorder variant="vertical" mb="md" data-testid="contract-terms">
          <Table.Tbody>
            <Table.Tr>
              <Detail label={t('contract.field.period')}>{`${formatDate(v.startDate)} – ${formatDate(v.endDate)}`}</Detail>
              <Detail label={t('contract.field.ddoCode')}>{`${v.ddoCode} — ${name(v.ddoDesignationEn, v.ddoDesignationHi)}`}</Detail>
            </Table.Tr>
            <Table.Tr>
              <Detail label={t('contract.field.budgetLines')}>{v.budgetLines.map((b) => b.head).join(', ')}</Detail>
              <Detail label={t('contract.field.paymentMode')}>{t(`contract.paymentMode.${v.paymentMode}`)}</Detail>
            </Table.Tr>
            <Table.Tr>
              <Detail label={t('contract.field.wageBasis')}>{t(`contract.wageBasis.${v.wageBasis}`)}</Detail>
              <Detail label={t('contract.field.serviceCharge')}>{formatBp(v.serviceChargeBp)}</Detail>
            </Table.Tr>
            <Table.Tr>
              <Detail label={t('contract.field.epfMode')}>{t(`contract.epf.${v.epfMode}`)}</Detail>
              <Detail label={t('contract.field.esicShort')}>{t(v.esicApplies ? 'common.yes' : 'common.no')}</Detail>
            </Table.Tr>
            <Table.Tr>
              <Detail label={t('contract.field.bonus')}>{formatBp(v.bonusBp)}</Detail>
              <Detail label={t('contract.detail.document')}>
                <DocLink contractId={contractId} v={v} />
                {v.document && (
                  <Text size="xs" c="dark.6">
                    {formatBytes(v.document.sizeBytes)} · SHA-256 {v.document.sha256.slice(0, 16)}…
                  </Text>
                )}
              </Detail>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}

/** Upload (or replace) the draft version's signed PDF; `onSaved` gets the contract as the server returns it. */
export function DraftDocumentUpload({
  contractId,
  draft,
  onSaved,
}: {
  contractId: number;
  draft: TContractVersion;
  onSaved: (next: TContract) => Promise<void>;
}) {
  const { t } = useTranslation();
  const m = useMsg();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<TMsg | null>(null);
  const upload = useMutation({
    mutationFn: (pdf: File) => {
      const fd = new FormData();
      fd.set('document', pdf, pdf.name);
      return api<TContract>('PUT', `${BASE}/${contractId}/versions/${draft.versionNo}/document`, fd);
    },
    onSuccess: async (next) => {
      setError(null);
      await onSaved(next);
    },
    onError: (e) => setError(problemOf(e).fields.document ?? problemOf(e).title),
  });
  return (
    <Group align="flex-end" mb="md">
      <PdfFileInput
        label={`${t('contract.field.document')} — ${t('contract.field.version')} ${draft.versionNo}`}
        description={t('contract.field.documentHint')}
        error={m(error)}
        value={file}
        onChange={setFile}
      />
      <Button
        variant="outline"
        loading={upload.isPending}
        onClick={async () => {
          const p = await pdfProblem(file);
          if (p || !file) setError(msg(`contract.create.${p ?? 'file_required'}`));
          else upload.mutate(file);
        }}
      >
        {t('common.save')}
      </Button>
    </Group>
  );
}
