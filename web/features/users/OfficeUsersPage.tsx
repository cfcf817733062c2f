import { useDebouncedValue } from '@mantine/hooks';
import { Alert, Button, Group, Modal, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInt } from '../../ui/format.ts';
import { ListPage, serialNo, useListState } from '../../ui/ListPage.tsx';
import { OFFICE_USER_STATUSES, type TOfficeOption, type TOfficeUserRow, type TOfficeUserStatus } from '../../../shared/contracts/users.ts';
import { OFFICE_ASSIGNABLE_ROLES, type TRole } from '../../../shared/roles.ts';
import { ApiError } from '../../lib/api.ts';
import { activeAssignment, useMe } from '../../lib/session.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { AddUserModal } from './AddUserModal.tsx';
import { endAssignment, officeUsersKey, setUserStatus, useOfficeOptions, useOfficeUsers } from './api.ts';

const PAGE_SIZE = 20;

type Pending = { kind: 'end' | 'deactivate' | 'activate'; row: TOfficeUserRow } | null;

/** Manual section 7: pick an office, see its users, add one by mobile, end roles, (de)activate. */
export function OfficeUsersPage() {
  const { t, i18n } = useTranslation();
  const hi = i18n.language === 'hi';
  const qc = useQueryClient();
  const [officeSearch, setOfficeSearch] = useState('');
  const [office, setOffice] = useState<TOfficeOption | null>(null);
  const [debouncedOffice] = useDebouncedValue(officeSearch, 300);
  const offices = useOfficeOptions(office && officeSearch === officeLabel(office) ? '' : debouncedOffice);
  const list = useListState({ sort: '', dir: 'asc' });
  const [status, setStatus] = useState<TOfficeUserStatus>('current');
  const [pending, setPending] = useState<Pending>(null);
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);
  const [addOpen, setAddOpen] = useState(false);
  const { data: me } = useMe();
  const actingRole = activeAssignment(me)?.role;
  // The server refuses the rest (403); only offer what this role may do.
  const manages = (role: TRole) => actingRole === 'finance_admin' || OFFICE_ASSIGNABLE_ROLES.includes(role);
  const users = useOfficeUsers({ officeId: office?.id ?? null, page: list.page, pageSize: PAGE_SIZE, q: list.search ?? '', status });

  function officeLabel(o: TOfficeOption) {
    return hi ? `${o.departmentNameHi} / ${o.nameHi} / ${o.id}` : `${o.departmentNameEn} / ${o.nameEn} / ${o.id}`;
  }

  // An admin of a single office has nothing to pick: select it.
  const only = !office && !debouncedOffice && offices.data?.items.length === 1 ? offices.data.items[0]! : null;
  useEffect(() => {
    if (only) setOffice(only);
  }, [only]);

  const options = [...(offices.data?.items ?? [])];
  if (office && !options.some((o) => o.id === office.id)) options.unshift(office);

  const act = useMutation({
    mutationFn: async (p: NonNullable<Pending>) => {
      if (p.kind === 'end') await endAssignment(p.row.assignmentId);
      else await setUserStatus(p.row.userId, p.kind);
      return p.kind;
    },
    onSuccess: async (kind) => {
      setPending(null);
      setMessage({ color: 'green', text: t(kind === 'end' ? 'users.ended' : kind === 'deactivate' ? 'users.deactivated' : 'users.activated') });
      await qc.invalidateQueries({ queryKey: officeUsersKey });
    },
    onError: (e) => {
      setPending(null);
      setMessage({ color: 'red', text: e instanceof ApiError ? e.problem.title : t('common.somethingWrong') });
    },
  });

  const rows = users.data?.items ?? [];

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('users.title')} />
      <Stack gap="md">
        <Select
          label={t('users.selectOffice')}
          description={t('users.selectOfficeHint')}
          styles={{ description: { color: 'var(--mantine-color-gray-8)' } }}
          searchable
          clearable
          maw={720}
          data={options.map((o) => ({ value: String(o.id), label: officeLabel(o) }))}
          filter={({ options: opts }) => opts}
          value={office ? String(office.id) : null}
          searchValue={officeSearch}
          onSearchChange={setOfficeSearch}
          onChange={(v) => {
            const o = options.find((x) => String(x.id) === v) ?? null;
            setOffice(o);
            list.setPage(1);
            setMessage(null);
          }}
          nothingFoundMessage={t('common.noData')}
          comboboxProps={{ withinPortal: true }}
        />

        {message && (
          <Alert
            color={message.color}
            role={message.color === 'red' ? 'alert' : 'status'}
            withCloseButton
            closeButtonLabel={t('common.close')}
            onClose={() => setMessage(null)}
          >
            {message.text}
          </Alert>
        )}

        {!office ? (
          <Text>{t('users.pickOfficeFirst')}</Text>
        ) : (
          <>
            <Group justify="space-between" align="flex-end">
              <Title order={3} size="h4">
                {t('users.viewOfficeUsers')}: {hi ? office.nameHi : office.nameEn} ({office.id})
              </Title>
              <Button
                onClick={() => {
                  setMessage(null);
                  setAddOpen(true);
                }}
              >
                {t('users.addUser')}
              </Button>
            </Group>
            <ListPage
              filters={
                <>
                  <TextInput
                    label={t('users.searchUsers')}
                    placeholder={t('users.searchPlaceholder')}
                    value={list.q}
                    onChange={(e) => list.setQ(e.currentTarget.value)}
                    w={320}
                  />
                  <Select
                    label={t('users.statusFilter')}
                    data={OFFICE_USER_STATUSES.map((s) => ({ value: s, label: t(`users.statusOptions.${s}`) }))}
                    value={status}
                    onChange={(v) => list.filter(setStatus)((v ?? 'current') as TOfficeUserStatus)}
                    allowDeselect={false}
                    w={220}
                  />
                </>
              }
              label={t('users.viewOfficeUsers')}
              minWidth={1000}
              head={
                <>
                  <Table.Th>{t('common.sno')}</Table.Th>
                  <Table.Th>{t('users.col.name')}</Table.Th>
                  <Table.Th>{t('users.col.office')}</Table.Th>
                  <Table.Th>{t('users.col.mobile')}</Table.Th>
                  <Table.Th>{t('users.col.officePhone')}</Table.Th>
                  <Table.Th>{t('users.col.email')}</Table.Th>
                  <Table.Th>{t('users.col.designation')}</Table.Th>
                  <Table.Th>{t('users.col.status')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </>
              }
              columns={9}
              result={users}
              paging={{ page: list.page, pageSize: PAGE_SIZE, onPage: list.setPage, label: t('users.pager') }}
            >
              {rows.map((r, i) => {
                const st = !r.assignmentActive ? 'ended' : r.userStatus;
                return (
                  <Table.Tr key={r.assignmentId}>
                    <Table.Td>{formatInt(serialNo({ page: list.page, pageSize: PAGE_SIZE }, i))}</Table.Td>
                    <Table.Td>
                      {r.name}
                      {r.employeeId ? ` (${r.employeeId})` : ''}
                      <Text size="xs" c="var(--mantine-color-gray-8)">
                        {r.username}
                      </Text>
                    </Table.Td>
                    <Table.Td>{hi ? r.officeNameHi : r.officeNameEn}</Table.Td>
                    <Table.Td>{r.mobile}</Table.Td>
                    <Table.Td>{r.officePhone || '—'}</Table.Td>
                    <Table.Td>{r.officialEmail || '—'}</Table.Td>
                    <Table.Td>
                      {r.designation ? `${r.designation} — ` : ''}
                      {t(`common.roles.${r.role}`)}
                    </Table.Td>
                    <Table.Td>
                      <Text
                        component="span"
                        size="sm"
                        fw={700}
                        c={st === 'active' ? '#1b5e20' : st === 'inactive' ? '#b71c1c' : '#424242'}
                        style={{ whiteSpace: 'nowrap' }}
                      >
                        {t(`users.status.${st}`)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" role="group" aria-label={t('users.rowActions', { name: r.name })}>
                        {manages(r.role) && r.assignmentActive && (
                          <Button size="compact-xs" variant="outline" color="#8a3700" onClick={() => setPending({ kind: 'end', row: r })}>
                            {t('users.endRole')}
                          </Button>
                        )}
                        {!manages(r.role) ? null : r.userStatus === 'active' ? (
                          <Button size="compact-xs" variant="outline" color="#b71c1c" onClick={() => setPending({ kind: 'deactivate', row: r })}>
                            {t('users.deactivate')}
                          </Button>
                        ) : (
                          <Button size="compact-xs" variant="outline" color="#1b5e20" onClick={() => setPending({ kind: 'activate', row: r })}>
                            {t('users.activate')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </ListPage>
          </>
        )}
      </Stack>

      <Modal
        opened={pending !== null}
        onClose={() => !act.isPending && setPending(null)}
        title={t('users.confirmTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        centered
      >
        {pending && (
          <Stack>
            <Text>
              {pending.kind === 'end'
                ? t('users.confirmEnd', { name: pending.row.name, role: t(`common.roles.${pending.row.role}`) })
                : t(pending.kind === 'deactivate' ? 'users.confirmDeactivate' : 'users.confirmActivate', { name: pending.row.name })}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setPending(null)} disabled={act.isPending}>
                {t('common.cancel')}
              </Button>
              <Button
                color={pending.kind === 'activate' ? '#1b5e20' : '#b71c1c'}
                loading={act.isPending}
                disabled={act.isPending}
                onClick={() => !act.isPending && act.mutate(pending)}
              >
                {t('users.confirm')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>

      {office && (
        <AddUserModal
          office={office}
          opened={addOpen}
          onClose={() => setAddOpen(false)}
          onDone={async (text) => {
            setAddOpen(false);
            setMessage({ color: 'green', text });
            await qc.invalidateQueries({ queryKey: officeUsersKey });
          }}
        />
      )}
    </Paper>
  );
}
