import { Alert, Badge, Button, Code, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TAuditEntry } from '../../../shared/contracts/audit.ts';
import { ROLES } from '../../../shared/roles.ts';
import { ApiError } from '../../lib/api.ts';
import { can, useMe } from '../../lib/session.ts';
import { formatInt } from '../../ui/format.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { AuditList, byWords, inputStyles, whenIst } from './AuditList.tsx';
import { NO_FILTERS, useAuditSearch, useVerifyChain } from './api.ts';

const PAGE_SIZE = 25;

/** One level of fields: nested values are shown as JSON. */
function fieldsOf(v: unknown): Record<string, unknown> {
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) return { value: v };
  return v as Record<string, unknown>;
}
const show = (v: unknown) => (v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

function Diff({ entry }: { entry: TAuditEntry }) {
  const { t } = useTranslation();
  const before = fieldsOf(entry.before);
  const after = fieldsOf(entry.after);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return (
    <Stack gap="xs" p="xs">
      <Text fw={700} size="sm">
        {t('audit.detailsOf', { seq: formatInt(entry.seq) })}
      </Text>
      {keys.length === 0 ? (
        <Text size="sm">{t('audit.noDetails')}</Text>
      ) : (
        <Table withTableBorder withColumnBorders maw={900}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('audit.field')}</Table.Th>
              <Table.Th scope="col">{t('audit.before')}</Table.Th>
              <Table.Th scope="col">{t('audit.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.map((k) => {
              const b = show(before[k]);
              const a = show(after[k]);
              const changed = b !== a;
              return (
                <Table.Tr key={k} bg={changed ? 'var(--mantine-color-yellow-0)' : undefined}>
                  <Table.Th scope="row" fw={500}>
                    <Code>{k}</Code>{' '}
                    {changed && (
                      <Badge size="xs" color="#7a4f00" variant="outline">
                        {t('audit.changed')}
                      </Badge>
                    )}
                  </Table.Th>
                  <Table.Td style={{ wordBreak: 'break-word' }}>
                    {b ?? (
                      <Text span size="sm" c="var(--mantine-color-gray-8)">
                        {t('audit.empty')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ wordBreak: 'break-word' }}>
                    {a ?? (
                      <Text span size="sm" c="var(--mantine-color-gray-8)">
                        {t('audit.empty')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <Text size="xs" c="var(--mantine-color-gray-8)" style={{ wordBreak: 'break-all' }}>
        {t('audit.hash')}: <Code>{entry.hash}</Code>
      </Text>
    </Stack>
  );
}

/** Search the audit trail (Finance, auditors) and verify its hash chain (bar P5). */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const [open, setOpen] = useState<number | null>(null);
  const verify = useVerifyChain();

  // Never a raw code on screen: an unknown code reads as "other" with the code kept for the expert (the catalog test keeps this rare).
  const label = (group: 'actions' | 'entities' | 'reasons', code: string) =>
    i18n.exists(`audit.${group}.${code}`) ? t(`audit.${group}.${code}`) : t('audit.otherCode', { code: code.replaceAll('_', ' ') });
  /** The filter's choices in the page's language; codes that read the same ("create", "created") are one choice naming both. */
  const choices = (group: 'actions' | 'entities') => {
    const byLabel = new Map<string, string[]>();
    for (const code of Object.keys(t(`audit.${group}`, { returnObjects: true }) as Record<string, string>)) {
      const l = t(`audit.${group}.${code}`);
      byLabel.set(l, [...(byLabel.get(l) ?? []), code]);
    }
    return [...byLabel.entries()].map(([l, codes]) => ({ value: codes.join(','), label: l })).sort((a, b) => a.label.localeCompare(b.label, i18n.language));
  };

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('audit.title')} />
      <Stack gap="lg">
        <Text>{t('audit.intro')}</Text>

        {can(me, 'audit.verify') && (
          <Paper withBorder p="md" component="section" aria-labelledby="audit-verify-heading">
            <Title order={3} size="h4" id="audit-verify-heading" mb="xs">
              {t('audit.verifyHeading')}
            </Title>
            <Text size="sm" mb="sm">
              {t('audit.verifyHint')}
            </Text>
            <Button onClick={() => verify.mutate()} loading={verify.isPending} loaderProps={{ 'aria-label': t('audit.verifying') } as object}>
              {t('audit.verify')}
            </Button>
            <div aria-live="polite">
              {verify.data?.ok && (
                <Alert mt="sm" color="green" role="status">
                  {t('audit.verifyOk', { count: formatInt(verify.data.checked) })}
                </Alert>
              )}
              {verify.data && !verify.data.ok && (
                <Alert mt="sm" color="red" role="alert">
                  {t('audit.verifyBroken', {
                    seq: formatInt(verify.data.firstBadSeq ?? 0),
                    count: formatInt(verify.data.checked),
                    reason: verify.data.reason ? label('reasons', verify.data.reason) : '',
                  })}
                </Alert>
              )}
              {verify.error && (
                <Alert mt="sm" color="red" role="alert">
                  {verify.error instanceof ApiError ? verify.error.problem.title : t('common.somethingWrong')}
                </Alert>
              )}
            </div>
          </Paper>
        )}

        <AuditList
          id="audit"
          empty={NO_FILTERS}
          useSearch={useAuditSearch}
          pageSize={PAGE_SIZE}
          text={{ searchHeading: t('audit.searchHeading'), resultsHeading: t('audit.resultsHeading'), caption: t('audit.results'), pager: t('audit.pager') }}
          onChange={() => setOpen(null)}
          fields={({ draft, setDraft, bind, fieldErrors, dateInput }) => (
            <>
              <TextInput
                name="username"
                styles={inputStyles}
                label={t('audit.username')}
                description={t('audit.usernameHint')}
                value={draft.username}
                onChange={bind('username')}
                autoComplete="off"
                error={fieldErrors.username}
              />
              <Select
                name="role"
                label={t('audit.role')}
                data={[{ value: '', label: t('audit.anyRole') }, ...ROLES.map((r) => ({ value: r, label: t(`common.roles.${r}`) }))]}
                value={draft.role}
                onChange={(v) => setDraft({ ...draft, role: v ?? '' })}
                allowDeselect={false}
                comboboxProps={{ withinPortal: true }}
              />
              {dateInput('from')}
              {dateInput('to')}
              <Select
                name="entity"
                styles={inputStyles}
                label={t('audit.entity')}
                description={t('audit.entityHint')}
                placeholder={t('audit.anyEntity')}
                data={choices('entities')}
                value={draft.entity || null}
                onChange={(v) => setDraft({ ...draft, entity: v ?? '' })}
                searchable
                clearable
                filter={byWords}
                nothingFoundMessage={t('common.noData')}
                comboboxProps={{ withinPortal: true }}
                error={fieldErrors.entity}
              />
              <Select
                name="action"
                styles={inputStyles}
                label={t('audit.action')}
                description={t('audit.actionHint')}
                placeholder={t('audit.anyAction')}
                data={choices('actions')}
                value={draft.action || null}
                onChange={(v) => setDraft({ ...draft, action: v ?? '' })}
                searchable
                clearable
                filter={byWords}
                nothingFoundMessage={t('common.noData')}
                comboboxProps={{ withinPortal: true }}
                error={fieldErrors.action}
              />
              <TextInput
                name="ip"
                styles={inputStyles}
                label={t('audit.ip')}
                description={t('audit.ipHint')}
                value={draft.ip}
                onChange={bind('ip')}
                error={fieldErrors.ip}
              />
            </>
          )}
          minWidth={1100}
          head={
            <>
              <Table.Th scope="col">{t('audit.col.seq')}</Table.Th>
              <Table.Th scope="col">{t('audit.col.when')}</Table.Th>
              <Table.Th scope="col">{t('audit.col.who')}</Table.Th>
              <Table.Th scope="col">{t('audit.col.role')}</Table.Th>
              <Table.Th scope="col">{t('audit.col.ip')}</Table.Th>
              <Table.Th scope="col">{t('audit.col.entity')}</Table.Th>
              <Table.Th scope="col">{t('audit.col.entityId')}</Table.Th>
              <Table.Th scope="col">{t('audit.col.action')}</Table.Th>
              <Table.Th scope="col">{t('audit.col.details')}</Table.Th>
            </>
          }
          columns={9}
        >
          {(rows) =>
            rows.map((r) => {
              const expanded = open === r.seq;
              return (
                <Fragment key={r.seq}>
                  <Table.Tr>
                    <Table.Td>{formatInt(r.seq)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{whenIst(r.at)}</Table.Td>
                    <Table.Td>
                      {r.actorName || (r.entity === 'system' ? t('audit.system') : t('audit.nobody'))}
                      {r.actorUsername && (
                        <Text size="xs" c="var(--mantine-color-gray-8)">
                          {r.actorUsername}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{r.role ? t(`common.roles.${r.role}`, { defaultValue: r.role }) : '—'}</Table.Td>
                    <Table.Td>
                      <Code>{r.ip || '—'}</Code>
                    </Table.Td>
                    <Table.Td>{label('entities', r.entity)}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>{r.entityId || '—'}</Table.Td>
                    <Table.Td>{label('actions', r.action)}</Table.Td>
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="outline"
                        aria-expanded={expanded}
                        aria-controls={`audit-diff-${r.seq}`}
                        aria-label={`${t(expanded ? 'audit.hideDetails' : 'audit.showDetails')} — ${t('audit.col.seq')} ${r.seq}`}
                        onClick={() => setOpen(expanded ? null : r.seq)}
                      >
                        {t(expanded ? 'audit.hideDetails' : 'audit.showDetails')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                  {expanded && (
                    <Table.Tr id={`audit-diff-${r.seq}`}>
                      <Table.Td colSpan={9}>
                        <Diff entry={r} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              );
            })
          }
        </AuditList>
      </Stack>
    </Paper>
  );
}
