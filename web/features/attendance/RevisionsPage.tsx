import { Alert, Anchor, FileInput, Group, NativeSelect, Paper, Table, Text, Textarea } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_REVISION_DOC_BYTES, REVISION_STATES, type TRevision, type TRevisionState } from '../../../shared/contracts/attendance.ts';
import { formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { ApiError, api } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { BASE, monthLabel } from './api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

/**
 * Revisions of finalised attendance: every request within the user's offices (pending first).
 * The DDO of the office approves or refuses a pending one, with remarks (a refusal must say why);
 * the department manager follows its requests here and, while one of its requests is pending,
 * adds a supporting document to it (e.g. when the DDO asks for one).
 */
export function RevisionsPage() {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  const qc = useQueryClient();
  const [state, setState] = useState<TRevisionState | ''>('pending');
  const [status, setStatus] = useState<string | null>(null);
  const key = ['attendance', 'revisions', state] as const;
  const { data, error } = useQuery({
    queryKey: key,
    queryFn: () => api<{ items: TRevision[] }>('GET', `${BASE}/revisions${state ? `?state=${state}` : ''}`),
  });
  const done = async (text: string) => {
    setStatus(text);
    await qc.invalidateQueries({ queryKey: ['attendance'] });
  };
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('attendance.revision.title')} />
      <Text size="sm" mb="md" maw={900}>
        {t('attendance.revision.intro')}
      </Text>
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error.message}
        </Alert>
      )}
      <NativeSelect
        label={t('attendance.revision.show')}
        value={state}
        onChange={(e) => setState(e.currentTarget.value as TRevisionState | '')}
        data={[...REVISION_STATES.map((s) => ({ value: s, label: t(`attendance.revision.state.${s}`) })), { value: '', label: t('attendance.revision.all') }]}
        maw={260}
        mb="md"
        data-testid="revisions-state"
      />
      <div role="status" aria-live="polite">
        {status && (
          <Alert color="green" mb="sm" data-testid="revisions-status">
            <Text size="sm" c="dark.9">
              {status}
            </Text>
          </Alert>
        )}
      </div>
      {data && data.items.length === 0 && <Text>{t('attendance.revision.none')}</Text>}
      {data && data.items.length > 0 && (
        <Table.ScrollContainer minWidth={1000}>
          <Table withTableBorder data-testid="revisions-table">
            <TableCaption>{t('attendance.revision.caption')}</TableCaption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('attendance.revision.office')}</Table.Th>
                <Table.Th>{t('attendance.revision.reasonCol')}</Table.Th>
                <Table.Th>{t('attendance.revision.rows')}</Table.Th>
                <Table.Th>{t('attendance.revision.requestedBy')}</Table.Th>
                <Table.Th>{t('attendance.revision.decision')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((r) => (
                <Table.Tr key={r.id} data-testid={`revision-${r.id}`}>
                  <Table.Th scope="row">{r.id}</Table.Th>
                  <Table.Td>
                    {name(r.officeNameEn, r.officeNameHi)}
                    <Text size="xs" c="dark.7">
                      {monthLabel(r.month, i18n.language)}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap', maxWidth: 280 }}>
                    {r.reason}
                    {r.document && (
                      <Text size="sm" mt={4}>
                        <Anchor href={`${BASE}/revisions/${r.id}/document`} download={r.document.name} data-testid={`revision-document-${r.id}`}>
                          {t('attendance.revision.documentLink', { name: r.document.name })}
                        </Anchor>
                      </Text>
                    )}
                    {r.documents.length > 0 && (
                      <>
                        <Text size="sm" mt={4} fw={600}>
                          {t('attendance.revision.addedDocuments')}
                        </Text>
                        <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid={`revision-added-${r.id}`}>
                          {r.documents.map((d) => (
                            <li key={d.id}>
                              <Anchor
                                size="sm"
                                href={`${BASE}/revisions/${r.id}/documents/${d.id}`}
                                download={d.name}
                                data-testid={`revision-added-${r.id}-${d.id}`}
                              >
                                {t('attendance.revision.addedDocumentLink', { name: d.name, date: formatDateTimeIst(d.addedAt) })}
                              </Anchor>
                            </li>
                          ))}
                        </ul>
                      </>
                    )}
                    {r.canAddDocument && <AddDocument r={r} onDone={done} />}
                  </Table.Td>
                  <Table.Td>
                    {r.items.map((it) => (
                      <Text size="sm" key={it.resourceId}>
                        {t('attendance.revision.itemLine', {
                          name: name(it.nameEn, it.nameHi),
                          bp: it.before.present,
                          ap: it.after.present,
                          bl: it.before.paidLeave,
                          al: it.after.paidLeave,
                          bo: it.before.offs,
                          ao: it.after.offs,
                          ba: it.before.absence,
                          aa: it.after.absence,
                        })}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td>{t('attendance.revision.by', { name: r.requestedBy, date: formatDateTimeIst(r.requestedAt) })}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600} data-testid={`revision-state-${r.id}`}>
                      {t(`attendance.revision.state.${r.state}`)}
                    </Text>
                    {r.decidedBy && r.decidedAt && (
                      <Text size="xs">{t('attendance.revision.by', { name: r.decidedBy, date: formatDateTimeIst(r.decidedAt) })}</Text>
                    )}
                    {r.remarks && (
                      <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
                        {t('attendance.revision.remarks')}: {r.remarks}
                      </Text>
                    )}
                    {r.canDecide && (
                      <Group gap="xs" mt={4}>
                        <Decide r={r} decision="approve" onDone={done} />
                        <Decide r={r} decision="refuse" onDone={done} />
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** Approve or refuse one request, behind a confirm dialog with remarks (required to refuse). */
function Decide({ r, decision, onDone }: { r: TRevision; decision: 'approve' | 'refuse'; onDone: (text: string) => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  const [remarks, setRemarks] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const [remarksErr, setRemarksErr] = useState<string | null>(null);
  const approve = decision === 'approve';
  return (
    <ConfirmDialog
      label={t(`attendance.revision.${decision}`)}
      title={t(approve ? 'attendance.revision.approveTitle' : 'attendance.revision.refuseTitle', { id: r.id })}
      confirm={t(`attendance.revision.${decision}`)}
      color={approve ? undefined : 'red.9'}
      variant={approve ? 'filled' : 'outline'}
      testId={`revision-${decision}-${r.id}`}
      errorTestId="revision-decide-error"
      busy={busy}
      intro={
        <Text size="sm">
          {approve
            ? t('attendance.revision.approveBody', {
                count: r.items.length,
                office: name(r.officeNameEn, r.officeNameHi),
                month: monthLabel(r.month, i18n.language),
              })
            : t('attendance.revision.refuseBody')}
        </Text>
      }
      error={err}
      onOpen={() => {
        setRemarks('');
        setErr(null);
        setRemarksErr(null);
      }}
      onConfirm={async (close) => {
        setBusy(true);
        setErr(null);
        setRemarksErr(null);
        try {
          await api('POST', `${BASE}/revisions/${r.id}/decision`, { decision, remarks });
          close();
          await onDone(t(approve ? 'attendance.revision.approved' : 'attendance.revision.refused', { id: r.id }));
        } catch (e) {
          if (e instanceof ApiError) {
            const fe = e.fieldErrors();
            setRemarksErr(fe.remarks ?? null);
            setErr(fe.remarks ?? e.message);
          } else setErr(String(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Textarea
        label={t(approve ? 'attendance.revision.remarks' : 'attendance.revision.remarksRefuse')}
        required={!approve}
        autosize
        minRows={2}
        maxLength={1000}
        value={remarks}
        onChange={(e) => setRemarks(e.currentTarget.value)}
        error={remarksErr}
        data-testid={`revision-remarks-${r.id}`}
      />
    </ConfirmDialog>
  );
}

/** Adds a supporting document to the maker's own pending request, behind a dialog with one file input. */
function AddDocument({ r, onDone }: { r: TRevision; onDone: (text: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [doc, setDoc] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const [docErr, setDocErr] = useState<string | null>(null);
  const mb = MAX_REVISION_DOC_BYTES / (1024 * 1024);
  return (
    <ConfirmDialog
      label={t('attendance.revision.addDocument')}
      title={t('attendance.revision.addDocumentTitle', { id: r.id })}
      confirm={t('attendance.revision.addDocumentSubmit')}
      variant="outline"
      testId={`revision-add-document-${r.id}`}
      errorTestId="revision-add-document-error"
      busy={busy}
      intro={<Text size="sm">{t('attendance.revision.addDocumentBody', { mb })}</Text>}
      error={err}
      onOpen={() => {
        setDoc(null);
        setErr(null);
        setDocErr(null);
      }}
      onConfirm={async (close) => {
        setErr(null);
        setDocErr(null);
        if (!doc) {
          const required = t('attendance.revision.addDocumentRequired');
          setDocErr(required);
          setErr(required);
          return;
        }
        setBusy(true);
        try {
          const form = new FormData();
          form.append('document', doc, doc.name);
          await api('POST', `${BASE}/revisions/${r.id}/documents`, form);
          close();
          await onDone(t('attendance.revision.documentAdded', { id: r.id }));
        } catch (e) {
          if (e instanceof ApiError) {
            const fe = e.fieldErrors();
            setDocErr(fe.document ?? null);
            setErr(fe.document ?? e.message);
          } else setErr(String(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <FileInput
        label={t('attendance.revision.addDocumentFile')}
        description={t('attendance.revision.documentHint', { mb })}
        accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
        placeholder={t('attendance.revision.documentChoose')}
        required
        clearable
        clearButtonProps={{ 'aria-label': t('common.clearFile', { name: t('attendance.revision.addDocumentFile') }) }}
        value={doc}
        onChange={setDoc}
        error={docErr}
        data-testid={`revision-add-document-file-${r.id}`}
      />
    </ConfirmDialog>
  );
}
