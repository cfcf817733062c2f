import { Alert, Button, Group, Modal, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { can, useMe } from '../../lib/session.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { exportUrl, formatInt, type ListParams, type MasterRow, orgKey, removeMapping, setActive, useMasterList } from './api.ts';
import { ImportModal } from './ImportModal.tsx';
import { ExportLinks, ListPage, SortTh, serialNo, useListState } from '../../ui/ListPage.tsx';
import { MasterForm } from './MasterForm.tsx';
import type { MasterConfig } from './masters.ts';
import { RefSelect } from './RefSelect.tsx';

const PAGE_SIZE = 25;

type Pending = { kind: 'deactivate' | 'activate' | 'remove'; row: MasterRow } | null;

/** One master: a server-paged, sortable, filterable table; add / edit / deactivate; import and export. */
export function MasterPage({ cfg }: { cfg: MasterConfig }) {
  const { t, i18n } = useTranslation();
  const hi = i18n.language === 'hi';
  const qc = useQueryClient();
  const { data: me } = useMe();
  const manage = can(me, 'org.manage');
  const title = t(`org.masters.${cfg.master}`);

  const list = useListState<string>({ sort: '', dir: 'asc', firstDir: () => 'asc' });
  const [active, setActiveFilter] = useState<'all' | 'true' | 'false'>('all');
  const [filters, setFilters] = useState<Record<string, number | null>>({});
  const [editing, setEditing] = useState<MasterRow | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);

  const params: ListParams = {
    page: list.page,
    pageSize: PAGE_SIZE,
    q: list.search ?? '',
    sort: list.sort,
    dir: list.dir,
    active: cfg.isMap ? 'all' : active,
    filters,
  };
  const master = useMasterList(cfg.master, params);
  const rows = master.data?.items ?? [];

  const act = useMutation({
    mutationFn: async (p: NonNullable<Pending>) => {
      if (p.kind === 'remove') await removeMapping(cfg.master, cfg.key(p.row));
      else await setActive(cfg.master, Number(p.row.id), p.kind === 'activate');
      return p.kind;
    },
    onSuccess: async (kind) => {
      setPending(null);
      setMessage({ color: 'green', text: t(`org.done.${kind}`) });
      await qc.invalidateQueries({ queryKey: orgKey });
    },
    onError: (e) => {
      setPending(null);
      setMessage({ color: 'red', text: e instanceof ApiError ? e.problem.title : t('common.somethingWrong') });
    },
  });

  const cols = cfg.columns.length + 1 + (cfg.isMap ? 0 : 1) + (manage ? 1 : 0);

  return (
    <Paper withBorder p="lg">
      <PageTitle title={title} crumbs={[{ label: t('org.title'), to: '/masters' }]} />
      {message && (
        <Alert
          color={message.color}
          role={message.color === 'red' ? 'alert' : 'status'}
          mb="sm"
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setMessage(null)}
        >
          {message.text}
        </Alert>
      )}
      <ListPage
        filters={
          <>
            {!cfg.isMap && (
              <TextInput
                label={t('org.search')}
                placeholder={t('org.searchPlaceholder')}
                value={list.q}
                onChange={(e) => list.setQ(e.currentTarget.value)}
                w={260}
              />
            )}
            {cfg.filters.map((f) => (
              <RefSelect
                key={f.name}
                master={f.ref}
                label={t(`org.field.${f.name}`)}
                value={filters[f.name] ?? null}
                onChange={list.filter((v: number | null) => setFilters((s) => ({ ...s, [f.name]: v })))}
                w={260}
              />
            ))}
            {!cfg.isMap && (
              <Select
                label={t('org.activeFilter')}
                data={(['all', 'true', 'false'] as const).map((v) => ({ value: v, label: t(`org.activeOptions.${v}`) }))}
                value={active}
                onChange={(v) => list.filter(setActiveFilter)((v ?? 'all') as 'all' | 'true' | 'false')}
                allowDeselect={false}
                w={150}
              />
            )}
          </>
        }
        actions={
          <>
            <ExportLinks href={(format) => exportUrl(cfg.master, format, params)} />
            {manage && (
              <Button
                variant="outline"
                onClick={() => {
                  setMessage(null);
                  setImporting(true);
                }}
              >
                {t('org.import')}
              </Button>
            )}
            {manage && (
              <Button
                onClick={() => {
                  setMessage(null);
                  setEditing('new');
                }}
              >
                {t(cfg.isMap ? 'org.addMapping' : 'org.add')}
              </Button>
            )}
          </>
        }
        label={title}
        minWidth={800}
        head={
          <>
            <Table.Th scope="col">{t('common.sno')}</Table.Th>
            {cfg.columns.map((c) =>
              c.sort ? (
                <SortTh key={c.key} label={t(`org.field.${c.key}`)} dir={list.sort === c.sort ? list.dir : null} onSort={() => list.sortBy(c.sort!)} />
              ) : (
                <Table.Th key={c.key} scope="col">
                  {t(`org.field.${c.key}`)}
                </Table.Th>
              ),
            )}
            {!cfg.isMap && <Table.Th scope="col">{t('common.status')}</Table.Th>}
            {manage && <Table.Th scope="col">{t('common.actions')}</Table.Th>}
          </>
        }
        columns={cols}
        result={master}
        paging={{ page: list.page, pageSize: PAGE_SIZE, onPage: list.setPage, label: t('org.pager') }}
      >
        {rows.map((r, i) => (
          <Table.Tr key={cfg.key(r)}>
            <Table.Td>{formatInt(serialNo({ page: list.page, pageSize: PAGE_SIZE }, i))}</Table.Td>
            {cfg.columns.map((c) => (
              <Table.Td key={c.key} lang={c.key.endsWith('Hi') ? 'hi' : undefined}>
                {c.value(r, hi)}
              </Table.Td>
            ))}
            {!cfg.isMap && (
              <Table.Td>
                <Text component="span" size="sm" fw={700} c={r.active ? '#1b5e20' : '#b71c1c'}>
                  {t(r.active ? 'common.active' : 'common.inactive')}
                </Text>
              </Table.Td>
            )}
            {manage && (
              <Table.Td>
                <Group gap={4} wrap="nowrap" role="group" aria-label={t('org.rowActions', { name: cfg.label(r, hi) })}>
                  {!cfg.isMap && (
                    <Button
                      size="compact-xs"
                      variant="outline"
                      onClick={() => {
                        setMessage(null);
                        setEditing(r);
                      }}
                    >
                      {t('common.edit')}
                    </Button>
                  )}
                  {cfg.isMap ? (
                    <Button size="compact-xs" variant="outline" color="#b71c1c" onClick={() => setPending({ kind: 'remove', row: r })}>
                      {t('org.remove')}
                    </Button>
                  ) : r.active ? (
                    <Button size="compact-xs" variant="outline" color="#b71c1c" onClick={() => setPending({ kind: 'deactivate', row: r })}>
                      {t('org.deactivate')}
                    </Button>
                  ) : (
                    <Button size="compact-xs" variant="outline" color="#1b5e20" onClick={() => setPending({ kind: 'activate', row: r })}>
                      {t('org.activate')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </ListPage>

      {editing !== null && (
        <MasterForm
          cfg={cfg}
          row={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setMessage({ color: 'green', text: t('org.done.saved', { name: cfg.label(saved, hi) }) });
          }}
        />
      )}
      {importing && <ImportModal master={cfg.master} onClose={() => setImporting(false)} onDone={() => setMessage(null)} />}
      <Modal
        opened={pending !== null}
        onClose={() => !act.isPending && setPending(null)}
        title={t('org.confirmTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        centered
      >
        {pending && (
          <Stack>
            <Text>{t(`org.confirm.${pending.kind}`, { name: cfg.label(pending.row, hi) })}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setPending(null)} disabled={act.isPending}>
                {t('common.no')}
              </Button>
              <Button color={pending.kind === 'activate' ? undefined : '#b71c1c'} loading={act.isPending} onClick={() => act.mutate(pending)}>
                {t('common.yes')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Paper>
  );
}
