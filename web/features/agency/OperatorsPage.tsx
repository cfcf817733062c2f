import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MOBILE_RE } from '../../../shared/domain/validators.ts';
import { api, ApiError } from '../../lib/api.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { agencyKeys, useOperators } from './api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

/** The agency admin's users: adds operators (login details by SMS, changed at first login) and removes them. */
export function OperatorsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { data, error } = useOperators();
  const [name, setName] = useState('');
  const [mobile, setMobile] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const onError = (e: unknown) => {
    if (e instanceof ApiError) {
      setErrors(e.fieldErrors());
      setProblem(e.problem.title);
    }
  };
  const add = useMutation({
    mutationFn: () => api<{ username: string }>('POST', '/api/v1/my-agency/operators', { name: name.trim(), mobile: mobile.trim() }),
    onSuccess: async (r) => {
      setName('');
      setMobile('');
      setMessage(t('agency.operators.added', { username: r.username }));
      await qc.invalidateQueries({ queryKey: agencyKeys.operators });
    },
    onError,
  });
  const remove = useMutation({
    mutationFn: (assignmentId: number) => api('POST', `/api/v1/my-agency/operators/${assignmentId}/deactivate`),
    onSuccess: async () => {
      setMessage(t('agency.operators.removed'));
      await qc.invalidateQueries({ queryKey: agencyKeys.operators });
    },
    onError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setMessage(null);
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = t('validation.required');
    if (!MOBILE_RE.test(mobile.trim())) local.mobile = t('validation.mobile_format');
    setErrors(local);
    if (Object.keys(local).length === 0) add.mutate();
  };
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('agency.operators.title')} />
      <Stack>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        {message && (
          <Alert color="green" role="status">
            {message}
          </Alert>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error.message}
          </Alert>
        )}
        <form onSubmit={submit} noValidate>
          <Title order={3} size="h4" mb="xs">
            {t('agency.operators.add')}
          </Title>
          <Group align="flex-start" wrap="wrap">
            <TextInput
              w={280}
              label={t('agency.operators.name')}
              name="name"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.name}
            />
            <TextInput
              w={220}
              label={t('agency.field.mobile')}
              name="mobile"
              inputMode="tel"
              required
              value={mobile}
              onChange={(e) => setMobile(e.currentTarget.value)}
              error={errors.mobile}
            />
            <Button type="submit" mt={25} loading={add.isPending}>
              {t('agency.operators.addButton')}
            </Button>
          </Group>
          <Text size="sm" mt="xs">
            {t('agency.operators.addHelp')}
          </Text>
        </form>
        <Table withTableBorder striped>
          <TableCaption>{t('agency.operators.caption')}</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('agency.operators.name')}</Table.Th>
              <Table.Th>{t('auth.username')}</Table.Th>
              <Table.Th>{t('agency.field.mobile')}</Table.Th>
              <Table.Th>{t('agency.operators.role')}</Table.Th>
              <Table.Th>{t('agency.field.status')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.items.map((o) => (
              <Table.Tr key={o.assignmentId}>
                <Table.Td>{o.name}</Table.Td>
                <Table.Td>{o.username}</Table.Td>
                <Table.Td>{o.mobile}</Table.Td>
                <Table.Td>{t(`common.roles.${o.role}`)}</Table.Td>
                <Table.Td>
                  <Badge color={o.active ? '#2b7a3b' : '#495057'} variant="filled">
                    {o.active ? t('agency.operators.active') : t('agency.operators.inactive')}
                  </Badge>
                  {o.active && o.mustChangePassword && <Text size="xs">{t('agency.operators.firstLogin')}</Text>}
                </Table.Td>
                <Table.Td>
                  {o.role === 'agency_operator' && o.active && (
                    <Button
                      size="xs"
                      variant="outline"
                      color="red"
                      loading={remove.isPending && remove.variables === o.assignmentId}
                      onClick={() => remove.mutate(o.assignmentId)}
                      aria-label={t('agency.operators.removeNamed', { name: o.name })}
                    >
                      {t('agency.operators.remove')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}
