import { Code, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SECURITY_EVENT_KINDS, type TSecurityEvent } from '../../../shared/contracts/security.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { AuditList, byWords, inputStyles, whenIst } from './AuditList.tsx';
import { NO_SECURITY_FILTERS, useSecuritySearch } from './api.ts';

const PAGE_SIZE = 25;
const grey = 'var(--mantine-color-gray-8)';

/** The login id typed at a refused login or reset request (recorded masked), if any. */
function typedOf(e: TSecurityEvent): string {
  const d = e.details as { username?: unknown } | null;
  return typeof d?.username === 'string' ? d.username : '';
}

/** Search the security log (issue 11 finding 6): refused requests and security events, for roles with audit.read. */
export function SecurityLogPage() {
  const { t, i18n } = useTranslation();
  // Never a raw code on screen: a kind without a label (the labels test keeps this from happening) reads as "other event".
  const kindText = (code: string, part: 'label' | 'why') =>
    i18n.exists(`audit.security.kinds.${code}.${part}`) ? t(`audit.security.kinds.${code}.${part}`) : part === 'label' ? t('audit.security.other') : '—';
  const choices = SECURITY_EVENT_KINDS.map((k) => ({ value: k, label: kindText(k, 'label') })).sort((a, b) => a.label.localeCompare(b.label, i18n.language));

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('audit.security.title')} />
      <Stack gap="lg">
        <Text>{t('audit.security.intro')}</Text>
        <AuditList
          id="security"
          empty={NO_SECURITY_FILTERS}
          useSearch={useSecuritySearch}
          pageSize={PAGE_SIZE}
          text={{
            searchHeading: t('audit.security.searchHeading'),
            resultsHeading: t('audit.security.resultsHeading'),
            caption: t('audit.security.results'),
            pager: t('audit.security.pager'),
          }}
          fields={({ draft, setDraft, bind, fieldErrors, dateInput }) => (
            <>
              <Select
                name="code"
                styles={inputStyles}
                label={t('audit.security.kind')}
                description={t('audit.security.kindHint')}
                placeholder={t('audit.security.anyKind')}
                data={choices}
                value={draft.code || null}
                onChange={(v) => setDraft({ ...draft, code: v ?? '' })}
                searchable
                clearable
                filter={byWords}
                nothingFoundMessage={t('common.noData')}
                comboboxProps={{ withinPortal: true }}
                error={fieldErrors.code}
              />
              <TextInput
                name="username"
                styles={inputStyles}
                label={t('audit.security.username')}
                description={t('audit.security.usernameHint')}
                value={draft.username}
                onChange={bind('username')}
                autoComplete="off"
                error={fieldErrors.username}
              />
              <TextInput
                name="ip"
                styles={inputStyles}
                label={t('audit.security.ip')}
                description={t('audit.security.ipHint')}
                value={draft.ip}
                onChange={bind('ip')}
                autoComplete="off"
                error={fieldErrors.ip}
              />
              {dateInput('from')}
              {dateInput('to')}
            </>
          )}
          minWidth={1000}
          head={
            <>
              <Table.Th scope="col">{t('audit.security.col.when')}</Table.Th>
              <Table.Th scope="col">{t('audit.security.col.who')}</Table.Th>
              <Table.Th scope="col">{t('audit.security.col.ip')}</Table.Th>
              <Table.Th scope="col">{t('audit.security.col.what')}</Table.Th>
              <Table.Th scope="col">{t('audit.security.col.why')}</Table.Th>
            </>
          }
          columns={5}
        >
          {(rows) =>
            rows.map((r) => {
              const typed = typedOf(r);
              return (
                <Table.Tr key={r.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{whenIst(r.at)}</Table.Td>
                  <Table.Td>
                    {r.userName || t('audit.security.nobody')}
                    {r.username && (
                      <Text size="xs" c={grey}>
                        {r.username}
                        {r.role ? ` · ${t(`common.roles.${r.role}`, { defaultValue: r.role })}` : ''}
                      </Text>
                    )}
                    {!r.username && typed && (
                      <Text size="xs" c={grey}>
                        {t('audit.security.typed', { username: typed })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Code>{r.ip || '—'}</Code>
                  </Table.Td>
                  <Table.Td>{kindText(r.code, 'label')}</Table.Td>
                  <Table.Td>{kindText(r.code, 'why')}</Table.Td>
                </Table.Tr>
              );
            })
          }
        </AuditList>
      </Stack>
    </Paper>
  );
}
