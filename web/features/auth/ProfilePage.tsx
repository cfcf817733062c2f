import { Alert, Button, Paper, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { ZProfile } from '../../../shared/contracts/auth.ts';
import { formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { EMAIL_RE } from '../../../shared/domain/validators.ts';
import { api, ApiError } from '../../lib/api.ts';
import { scopePlace } from '../../lib/scope.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import './auth.css';

type TProfile = z.infer<typeof ZProfile>;

/** Manual section 4, "Your Profile": the official e-mail of each role assignment. */
export function ProfilePage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const { data } = useQuery({ queryKey: ['profile'], queryFn: () => api<TProfile>('GET', '/api/v1/profile') });
  const [editing, setEditing] = useState<number | null>(null);
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  if (!data) return <Text>{t('common.loading')}</Text>;
  const save = async (id: number) => {
    if (email && !EMAIL_RE.test(email)) {
      setError(t('validation.email_format'));
      return;
    }
    try {
      await api('PUT', `/api/v1/profile/assignments/${id}/email`, { officialEmail: email });
      setEditing(null);
      setError(null);
      setSaved(true);
      await qc.invalidateQueries({ queryKey: ['profile'] });
    } catch (e) {
      setError(e instanceof ApiError ? (e.fieldErrors().officialEmail ?? e.problem.title) : t('common.somethingWrong'));
    }
  };
  return (
    <Paper withBorder p="lg" className="roams-auth">
      <PageTitle title={t('auth.profileTitle')} />
      {saved && (
        <Alert color="green" role="status" mb="sm">
          {t('auth.emailSaved')}
        </Alert>
      )}
      <Table mb="md" maw={560} variant="vertical" withTableBorder>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={220}>{t('auth.name')}</Table.Th>
            <Table.Td>{data.name}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('auth.usernameForLogin')}</Table.Th>
            <Table.Td>{data.username}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('auth.mobile')}</Table.Th>
            <Table.Td>{data.mobile}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('auth.employeeId')}</Table.Th>
            <Table.Td>{data.employeeId}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Table.ScrollContainer minWidth={720}>
        <Table withTableBorder striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.sno')}</Table.Th>
              <Table.Th>{t('auth.office')}</Table.Th>
              <Table.Th>{t('auth.roleDesignation')}</Table.Th>
              <Table.Th>{t('auth.officialEmail')}</Table.Th>
              <Table.Th>{t('auth.lastUpdate')}</Table.Th>
              <Table.Th>{t('auth.roleAddedBy')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.assignments.map((a, i) => (
              <Table.Tr key={a.id}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td>{scopePlace(a, i18n.language, t) ?? t(`common.scopes.${a.scopeKind}`)}</Table.Td>
                <Table.Td>
                  {t(`common.roles.${a.role}`)}
                  {a.designation ? ` — ${a.designation}` : ''}
                </Table.Td>
                <Table.Td>
                  {editing === a.id ? (
                    <TextInput
                      aria-label={t('auth.officialEmail')}
                      type="email"
                      value={email}
                      onChange={(e) => setEmail(e.currentTarget.value)}
                      error={error}
                    />
                  ) : (
                    a.officialEmail || '—'
                  )}
                </Table.Td>
                <Table.Td>{a.emailUpdatedAt ? formatDateTimeIst(a.emailUpdatedAt) : '--/--'}</Table.Td>
                <Table.Td>{t('auth.roleAddedByValue', { name: a.addedByName ?? t('auth.roleAddedAtSetup'), at: formatDateTimeIst(a.addedAt) })}</Table.Td>
                <Table.Td>
                  {editing === a.id ? (
                    <Button size="xs" onClick={() => save(a.id)}>
                      {t('common.save')}
                    </Button>
                  ) : (
                    <Button
                      size="xs"
                      variant="outline"
                      onClick={() => {
                        setEditing(a.id);
                        setEmail(a.officialEmail);
                        setError(null);
                        setSaved(false);
                      }}
                    >
                      {t('common.edit')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
