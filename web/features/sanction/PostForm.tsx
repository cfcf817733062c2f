import { Alert, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { TFlashMsg } from '../../ui/flash.ts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../lib/api.ts';
import { BASE, formatInt, sanctionKeys, useHodOffices, useOptions } from './api.ts';
import type { TSanctionOrder, TSanctionPost, TSanctionPostInput } from './types.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

type TNum = number | string;

function toInt(v: TNum): number | null {
  if (v === '' || v === undefined || v === null) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isInteger(n) ? n : Number.NaN;
}

/**
 * "Add Position & Office wise Sanctioned Post Details": skill level, post name, total, the
 * directorate, and the total distributed over the directorate's offices ("Save & Add Post").
 */
export function PostForm({
  order,
  post,
  onDone,
  onCancel,
}: {
  order: TSanctionOrder;
  post?: TSanctionPost;
  onDone: (message: TFlashMsg) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const name = useBilingual();
  const qc = useQueryClient();
  const { data: options } = useOptions();
  const negativeAllowed = order.kind !== 'original';
  const [skillLevelId, setSkillLevelId] = useState<string | null>(post ? String(post.skillLevelId) : null);
  const [postNameId, setPostNameId] = useState<string | null>(post ? String(post.postNameId) : null);
  const [total, setTotal] = useState<TNum>(post ? post.total : '');
  const [hodId, setHodId] = useState<string | null>(post ? String(post.hodId) : null);
  const [officePosts, setOfficePosts] = useState<Record<number, TNum>>(() => Object.fromEntries((post?.offices ?? []).map((o) => [o.officeId, o.posts])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const busy = useRef(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const { data: offices, isLoading: officesLoading } = useHodOffices(hodId ? Number(hodId) : null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const totalInt = toInt(total);
  const sum = Object.values(officePosts).reduce<number>((s, v) => s + (toInt(v) || 0), 0);
  const adds = totalInt !== null && !Number.isNaN(totalInt) && sum === totalInt;
  // Nothing typed yet (a fresh form, or the one left after "Save & Add Post"): no red, nothing is wrong yet (issue 12.5).
  const nothingYet = totalInt === null && sum === 0;

  const save = useMutation({
    mutationFn: (body: TSanctionPostInput) =>
      post ? api('PUT', `${BASE}/${order.id}/posts/${post.id}`, body) : api('POST', `${BASE}/${order.id}/posts`, body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: sanctionKeys.all });
      if (!post) {
        setSkillLevelId(null);
        setPostNameId(null);
        setTotal('');
        setOfficePosts({});
        setErrors({});
      }
      setFormError(null);
      onDone({ key: 'sanction.post.saved' });
    },
    onError: (e, body) => {
      if (e instanceof ApiError) {
        const fe: Record<string, string> = {};
        const other: string[] = [];
        for (const [k, v] of Object.entries(e.fieldErrors())) {
          const m = /^offices\.(\d+)/.exec(k);
          const row = m ? body.offices[Number(m[1])] : undefined;
          if (row) fe[`office-${row.officeId}`] = v;
          else if (['skillLevelId', 'postNameId', 'total', 'hodId'].includes(k)) fe[k] = v;
          else other.push(v);
        }
        setErrors(fe);
        setFormError([e.problem.title, ...other].join(' '));
      } else setFormError(t('common.somethingWrong'));
      requestAnimationFrame(() => errorRef.current?.focus());
    },
    onSettled: () => {
      busy.current = false;
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy.current || save.isPending) return;
    const fe: Record<string, string> = {};
    const required = t('sanction.create.required');
    if (!skillLevelId) fe.skillLevelId = required;
    if (!postNameId) fe.postNameId = required;
    if (!hodId) fe.hodId = required;
    if (totalInt === null || Number.isNaN(totalInt) || totalInt === 0 || (!negativeAllowed && totalInt < 0))
      fe.total = t(negativeAllowed ? 'sanction.post.totalWholeReduction' : 'sanction.post.totalWhole');
    for (const [officeId, v] of Object.entries(officePosts)) {
      const n = toInt(v);
      if (n !== null && (Number.isNaN(n) || (!negativeAllowed && n < 0))) fe[`office-${officeId}`] = t('sanction.post.officeWhole');
    }
    let mismatch: string | null = null;
    if (!fe.total && totalInt !== null && sum !== totalInt) mismatch = t('sanction.post.mismatch', { sum: formatInt(sum), total: formatInt(totalInt) });
    setErrors(fe);
    if (Object.keys(fe).length > 0 || mismatch) {
      setFormError(mismatch ?? t('sanction.create.fixErrors'));
      requestAnimationFrame(() => errorRef.current?.focus());
      return;
    }
    busy.current = true;
    setFormError(null);
    const list = (offices ?? []).map((o) => ({ officeId: o.id, posts: toInt(officePosts[o.id] ?? '') ?? 0 })).filter((o) => o.posts !== 0);
    save.mutate({ hodId: Number(hodId), skillLevelId: Number(skillLevelId), postNameId: Number(postNameId), total: totalInt as number, offices: list });
  };

  const hodName = (() => {
    const h = options?.hods.find((x) => String(x.id) === hodId);
    return h ? name(h.nameEn, h.nameHi) : '';
  })();
  const hods = (options?.hods ?? []).filter((h) => h.departmentId === order.departmentId);

  return (
    <Paper withBorder p="md" mt="md" component="section" aria-labelledby="sanction-post-form-title">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={3} id="sanction-post-form-title" ref={headingRef} tabIndex={-1}>
            {t(post ? 'sanction.post.editTitle' : 'sanction.post.formTitle')}
          </Title>
          {formError && (
            <Alert color="red" role="alert" ref={errorRef} tabIndex={-1}>
              {formError}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('sanction.post.skillLevel')}
              required
              searchable
              value={skillLevelId}
              onChange={setSkillLevelId}
              data={(options?.skillLevels ?? []).map((s) => ({ value: String(s.id), label: name(s.nameEn, s.nameHi) }))}
              error={errors.skillLevelId}
            />
            <Select
              label={t('sanction.post.postName')}
              required
              searchable
              value={postNameId}
              onChange={setPostNameId}
              data={(options?.postNames ?? []).map((s) => ({ value: String(s.id), label: name(s.nameEn, s.nameHi) }))}
              error={errors.postNameId}
            />
            <NumberInput
              label={t('sanction.post.total')}
              required
              allowDecimal={false}
              allowNegative={negativeAllowed}
              thousandSeparator=","
              thousandsGroupStyle="lakh"
              value={total}
              onChange={setTotal}
              error={errors.total}
            />
            <Select
              label={t('sanction.post.hod')}
              required
              searchable
              value={hodId}
              onChange={(v) => {
                setHodId(v);
                setOfficePosts({});
              }}
              data={(hods.length ? hods : (options?.hods ?? [])).map((h) => ({ value: String(h.id), label: name(h.nameEn, h.nameHi) }))}
              error={errors.hodId}
            />
          </SimpleGrid>
          {!hodId && (
            <Text size="sm" c="dark.6">
              {t('sanction.post.chooseHodFirst')}
            </Text>
          )}
          {hodId && officesLoading && <Text size="sm">{t('common.loading')}</Text>}
          {hodId && offices && offices.length === 0 && <Alert color="yellow">{t('sanction.post.noOffices')}</Alert>}
          {hodId && offices && offices.length > 0 && (
            <>
              <Table.ScrollContainer minWidth={600}>
                <Table withTableBorder striped>
                  <TableCaption>{t('sanction.post.officesCaption', { hod: hodName })}</TableCaption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('sanction.post.sno')}</Table.Th>
                      <Table.Th>{t('sanction.post.officeId')}</Table.Th>
                      <Table.Th>{t('sanction.post.officeName')}</Table.Th>
                      <Table.Th>{t('sanction.post.sanctionPost')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {offices.map((o, i) => (
                      <Table.Tr key={o.id}>
                        <Table.Td>{formatInt(i + 1)}</Table.Td>
                        <Table.Td>{o.id}</Table.Td>
                        <Table.Td>{name(o.nameEn, o.nameHi)}</Table.Td>
                        <Table.Td w={180}>
                          <NumberInput
                            aria-label={t('sanction.post.sanctionPostFor', { office: name(o.nameEn, o.nameHi), id: o.id })}
                            allowDecimal={false}
                            allowNegative={negativeAllowed}
                            min={negativeAllowed ? undefined : 0}
                            value={officePosts[o.id] ?? ''}
                            onChange={(v) => setOfficePosts((p) => ({ ...p, [o.id]: v }))}
                            error={errors[`office-${o.id}`]}
                            data-office-id={o.id}
                          />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Text
                role="status"
                aria-live="polite"
                fw={600}
                c={adds ? 'green.9' : nothingYet ? 'dark.6' : 'red.9'}
                data-testid="sanction-distributed"
                data-state={adds ? 'adds' : nothingYet ? 'empty' : 'short'}
              >
                {t(adds ? 'sanction.post.distributedOk' : 'sanction.post.distributed', {
                  sum: formatInt(sum),
                  total: formatInt(totalInt && !Number.isNaN(totalInt) ? totalInt : 0),
                })}
              </Text>
            </>
          )}
          <Group justify="flex-end">
            {onCancel && (
              <Button variant="default" onClick={onCancel}>
                {t('sanction.post.cancelEdit')}
              </Button>
            )}
            <Button type="submit" loading={save.isPending} disabled={save.isPending}>
              {t(post ? 'sanction.post.update' : 'sanction.post.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
