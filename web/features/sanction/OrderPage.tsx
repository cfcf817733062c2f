import { Alert, Anchor, Button, Group, Modal, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { api, ApiError } from '../../lib/api.ts';
import { can, useMe } from '../../lib/session.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { formatBytes } from '../../ui/format.ts';
import { BASE, formatInt, sanctionKeys, useOrder } from './api.ts';
import { orderFlash } from './flash.ts';
import type { TFlashMsg } from '../../ui/flash.ts';
import { EditOrderModal } from './EditOrderModal.tsx';
import { PostForm } from './PostForm.tsx';
import type { TSanctionOrder, TSanctionPost } from './types.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

/**
 * Manual section 8, "Manage Outsourced Sanction Order and Post": the order's particulars, its
 * PDF, the added posts, "Add Post" and "Lock Now".
 */
export function OrderPage() {
  const { t } = useTranslation();
  const params = useParams({ strict: false }) as { id?: string };
  const id = Number(params.id);
  const { data: order, error, isLoading } = useOrder(id);
  if (isLoading) return <Text>{t('common.loading')}</Text>;
  if (error || !order) {
    return (
      <Paper withBorder p="lg" className="roams-sanction">
        <PageTitle title={t('sanction.order.heading')} crumbs={[{ label: t('sanction.title'), to: '/sanction-orders' }]} />
        <Alert color="red" role="alert">
          {error instanceof ApiError && error.problem.status === 404 ? t('sanction.order.notFound') : (error?.message ?? t('sanction.order.notFound'))}
        </Alert>
      </Paper>
    );
  }
  return <OrderView order={order} />;
}

function OrderView({ order }: { order: TSanctionOrder }) {
  const { t } = useTranslation();
  const name = useBilingual();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const editable = can(me, 'sanction.manage') && !order.locked;
  const [status, setStatus] = useState<TFlashMsg | null>(() => orderFlash.take());
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<TSanctionPost | null>(null);
  const [deleting, setDeleting] = useState<TSanctionPost | null>(null);
  const [lockOpen, setLockOpen] = useState(false);
  const [editOpen, setEditOpen] = useState(false);
  const editButtonRef = useRef<HTMLButtonElement>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const statusRef = useRef<HTMLDivElement>(null);
  const postsRef = useRef<HTMLHeadingElement>(null);
  const lockBusy = useRef(false);

  useEffect(() => {
    if (!editable) {
      setFormOpen(false);
      setEditing(null);
    }
  }, [editable]);

  const announce = (m: TFlashMsg) => {
    setStatus(m);
    requestAnimationFrame(() => statusRef.current?.focus());
  };

  const lock = useMutation({
    mutationFn: () => api<TSanctionOrder>('POST', `${BASE}/${order.id}/lock`, {}),
    onSuccess: async (next) => {
      qc.setQueryData(sanctionKeys.order(order.id), next);
      await qc.invalidateQueries({ queryKey: sanctionKeys.all });
      setLockOpen(false);
      setActionError(null);
      announce({ key: 'sanction.order.lockedDone' });
    },
    onError: async (e) => {
      setLockOpen(false);
      await qc.invalidateQueries({ queryKey: sanctionKeys.order(order.id) });
      setActionError(e instanceof ApiError ? e.problem.title : t('common.somethingWrong'));
      requestAnimationFrame(() => statusRef.current?.focus());
    },
    onSettled: () => {
      lockBusy.current = false;
    },
  });

  const remove = useMutation({
    mutationFn: (p: TSanctionPost) => api('DELETE', `${BASE}/${order.id}/posts/${p.id}`),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: sanctionKeys.all });
      setDeleting(null);
      setActionError(null);
      announce({ key: 'sanction.order.postDeleted' });
    },
    onError: (e) => {
      setDeleting(null);
      setActionError(e instanceof ApiError ? e.problem.title : t('common.somethingWrong'));
      requestAnimationFrame(() => statusRef.current?.focus());
    },
  });

  const postLabel = (p: TSanctionPost) => `${name(p.postNameEn, p.postNameHi)} — ${name(p.skillLevelNameEn, p.skillLevelNameHi)}`;
  const needle = search.trim().toLowerCase();
  const posts = order.posts.filter(
    (p) =>
      !needle || [p.hodNameEn, p.hodNameHi, p.postNameEn, p.postNameHi, p.skillLevelNameEn, p.skillLevelNameHi].some((s) => s.toLowerCase().includes(needle)),
  );
  const totalPosts = order.posts.reduce((s, p) => s + p.total, 0);

  const showPosts = () => {
    setFormOpen(false);
    setEditing(null);
    requestAnimationFrame(() => postsRef.current?.focus());
  };

  const detail = (label: string, value: ReactNode) => (
    <>
      <Table.Th w={230} scope="row">
        {label}
      </Table.Th>
      <Table.Td>{value}</Table.Td>
    </>
  );

  return (
    <Paper withBorder p="lg" className="roams-sanction">
      <PageTitle title={`${t('sanction.order.heading')}: ${order.orderNo}`} crumbs={[{ label: t('sanction.title'), to: '/sanction-orders' }]} />
      <Group justify="space-between" mb="sm">
        <Button variant="default" component={Link} to="/sanction-orders">
          {t('common.back')}
        </Button>
        {editable && (
          <Group>
            <Button variant="outline" ref={editButtonRef} onClick={() => setEditOpen(true)}>
              {t('sanction.edit.button')}
            </Button>
            {!formOpen && !editing && (
              <Button
                onClick={() => {
                  setStatus(null);
                  setFormOpen(true);
                }}
                leftSection={<span aria-hidden="true">+</span>}
              >
                {t('sanction.order.addPost')}
              </Button>
            )}
            {(formOpen || editing) && (
              <Button variant="outline" onClick={showPosts}>
                {t('sanction.order.viewAddedPost')}
              </Button>
            )}
          </Group>
        )}
      </Group>
      {status && (
        <Alert
          color="green"
          role="status"
          mb="sm"
          ref={statusRef}
          tabIndex={-1}
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setStatus(null)}
        >
          {t(status.key, status.params)}
        </Alert>
      )}
      {actionError && (
        <Alert color="red" role="alert" mb="sm" ref={status ? undefined : statusRef} tabIndex={-1}>
          {actionError}
        </Alert>
      )}
      {order.locked && (
        <Alert color="blue" mb="sm">
          {t('sanction.order.locked')}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={700}>
        <Table withTableBorder variant="vertical" mb="md">
          <TableCaption>{t('sanction.order.details')}</TableCaption>
          <Table.Tbody>
            <Table.Tr>
              {detail(t('sanction.field.orderNo'), order.orderNo)}
              {detail(t('sanction.field.orderDate'), formatDate(order.orderDate))}
            </Table.Tr>
            <Table.Tr>
              {detail(t('sanction.field.issuingOfficerName'), order.issuingOfficerName)}
              {detail(t('sanction.field.issuingOfficerDesignation'), order.issuingOfficerDesignation)}
            </Table.Tr>
            <Table.Tr>
              {detail(
                t('sanction.field.uploadedOrder'),
                <>
                  <Anchor href={`${BASE}/${order.id}/file`} target="_blank" rel="noopener">
                    {t('sanction.order.viewFile')}
                    <VisuallyHidden> ({t('sanction.order.viewFileNewTab')})</VisuallyHidden>
                  </Anchor>
                  <Text size="xs" c="dark.6" style={{ wordBreak: 'break-all' }}>
                    {t('sanction.field.fileInfo', { size: formatBytes(order.file.sizeBytes), sha: order.file.sha256.slice(0, 16) })}…
                  </Text>
                </>,
              )}
              {detail(t('sanction.field.department'), name(order.departmentNameEn, order.departmentNameHi))}
            </Table.Tr>
            <Table.Tr>
              {detail(
                t('sanction.kind.label'),
                `${t(`sanction.kind.${order.kind}`)}${order.refOrderNo ? ` — ${t('sanction.field.refOrder')}: ${order.refOrderNo}` : ''}`,
              )}
              {detail(
                t('sanction.order.isLocked'),
                <>
                  <Text span fw={700} data-testid="order-locked">
                    {t(order.locked ? 'common.yes' : 'common.no')}
                  </Text>
                  {order.lockedAt && (
                    <Text size="xs" c="dark.6">
                      {t('sanction.field.lockedAt')}: {formatDateTimeIst(order.lockedAt)}
                    </Text>
                  )}
                </>,
              )}
            </Table.Tr>
            <Table.Tr>
              {detail(t('sanction.field.remark'), order.remark || '—')}
              {detail(t('sanction.order.totalSanctioned'), formatInt(totalPosts))}
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      {editable && formOpen && !editing && <PostForm order={order} onDone={(m) => setStatus(m)} onCancel={showPosts} />}
      {editable && editing && (
        <PostForm
          key={editing.id}
          order={order}
          post={editing}
          onDone={(m) => {
            setEditing(null);
            announce(m);
          }}
          onCancel={showPosts}
        />
      )}

      <Stack mt="lg" gap="xs">
        <Group justify="space-between" align="flex-end">
          <Title order={3} ref={postsRef} tabIndex={-1} id="sanction-posts-title">
            {t('sanction.order.postsTitle')}
          </Title>
          <TextInput type="search" label={t('sanction.order.searchPosts')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={280} />
        </Group>
        <Table.ScrollContainer minWidth={900}>
          <Table withTableBorder striped>
            <TableCaption plain>{t('sanction.order.postsCaption', { orderNo: order.orderNo })}</TableCaption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('sanction.order.hod')}</Table.Th>
                <Table.Th>{t('sanction.order.skillLevel')}</Table.Th>
                <Table.Th>{t('sanction.order.postName')}</Table.Th>
                <Table.Th>{t('sanction.order.totalSanctioned')}</Table.Th>
                <Table.Th>{t('sanction.order.isLocked')}</Table.Th>
                {editable && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {posts.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={editable ? 7 : 6}>
                    <Text ta="center" size="sm">
                      {t('common.noData')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {posts.map((p, i) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{formatInt(i + 1)}</Table.Td>
                  <Table.Td>
                    {name(p.hodNameEn, p.hodNameHi)}
                    <Text size="xs" c="dark.6">
                      {t('sanction.order.offices', {
                        list: p.offices.map((o) => `${name(o.officeNameEn, o.officeNameHi)} (${o.officeId}): ${formatInt(o.posts)}`).join('; '),
                      })}
                    </Text>
                  </Table.Td>
                  <Table.Td>{name(p.skillLevelNameEn, p.skillLevelNameHi)}</Table.Td>
                  <Table.Td>{name(p.postNameEn, p.postNameHi)}</Table.Td>
                  <Table.Td>{formatInt(p.total)}</Table.Td>
                  <Table.Td>{t(p.locked ? 'common.yes' : 'common.no')}</Table.Td>
                  {editable && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="outline"
                          aria-label={t('sanction.order.editPostLabel', { post: postLabel(p) })}
                          onClick={() => {
                            setStatus(null);
                            setFormOpen(false);
                            setEditing(p);
                          }}
                        >
                          {t('common.edit')}
                        </Button>
                        <Button
                          size="xs"
                          variant="outline"
                          color="red.9"
                          aria-label={t('sanction.order.deletePostLabel', { post: postLabel(p) })}
                          onClick={() => setDeleting(p)}
                        >
                          {t('sanction.order.deletePost')}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>

      {editable && (
        <Group justify="flex-end" mt="md">
          {order.posts.length === 0 && (
            <Text size="sm" c="dark.6" id="sanction-lock-hint">
              {t('sanction.order.lockNoPosts')}
            </Text>
          )}
          <Button
            color="red.9"
            disabled={order.posts.length === 0}
            aria-describedby={order.posts.length === 0 ? 'sanction-lock-hint' : undefined}
            onClick={() => setLockOpen(true)}
          >
            {t('sanction.order.lockNow')}
          </Button>
        </Group>
      )}

      {editable && editOpen && (
        <EditOrderModal
          order={order}
          opened
          onClose={() => {
            setEditOpen(false);
            requestAnimationFrame(() => editButtonRef.current?.focus());
          }}
          onSaved={(m) => {
            setEditOpen(false);
            announce(m);
          }}
        />
      )}

      <Modal
        opened={lockOpen}
        onClose={() => !lock.isPending && setLockOpen(false)}
        title={t('sanction.order.lockTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        centered
      >
        <Stack>
          <Text>{t('sanction.order.lockBody')}</Text>
          <Text fw={600}>
            {t('sanction.order.lockSummary', { orderNo: order.orderNo, posts: formatInt(order.posts.length), total: formatInt(totalPosts) })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setLockOpen(false)} disabled={lock.isPending} data-autofocus>
              {t('common.cancel')}
            </Button>
            <Button
              color="red.9"
              loading={lock.isPending}
              disabled={lock.isPending}
              onClick={() => {
                if (lockBusy.current) return;
                lockBusy.current = true;
                lock.mutate();
              }}
            >
              {t('sanction.order.lockConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal
        opened={deleting !== null}
        onClose={() => !remove.isPending && setDeleting(null)}
        title={t('sanction.order.deleteTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        centered
      >
        <Stack>
          <Text>{deleting ? t('sanction.order.deleteBody', { post: postLabel(deleting), total: formatInt(deleting.total) }) : ''}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)} disabled={remove.isPending} data-autofocus>
              {t('common.cancel')}
            </Button>
            <Button
              color="red.9"
              loading={remove.isPending}
              disabled={remove.isPending}
              onClick={() => deleting && !remove.isPending && remove.mutate(deleting)}
            >
              {t('sanction.order.deleteConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
