import { Alert, Button, Group, Modal, NumberInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { LimitedTextInput } from '../../ui/LimitedTextInput.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { createRow, type MasterRow, orgKey, updateRow } from './api.ts';
import type { MasterConfig, Ref } from './masters.ts';
import { RefSelect } from './RefSelect.tsx';

type Values = Record<string, string | number | null>;

function initial(cfg: MasterConfig, row: MasterRow | null): Values {
  const v: Values = {};
  for (const f of cfg.fields) {
    const x = row?.[f.name];
    v[f.name] = f.kind === 'text' ? (x === undefined || x === null ? '' : String(x)) : typeof x === 'number' ? x : null;
  }
  return v;
}

/** Add or edit one row; the server's field errors appear under their inputs. */
/** A text field of a master without its own limit: the longest text the masters' contracts take. */
const TEXT_MAX = 200;

export function MasterForm({
  cfg,
  row,
  onClose,
  onSaved,
}: {
  cfg: MasterConfig;
  row: MasterRow | null;
  onClose: () => void;
  onSaved: (saved: MasterRow) => void;
}) {
  const { t, i18n } = useTranslation();
  const hi = i18n.language === 'hi';
  const qc = useQueryClient();
  const [values, setValues] = useState<Values>(() => initial(cfg, row));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const editing = row !== null;
  const fields = cfg.fields.filter((f) => !(editing && f.createOnly));

  const save = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = {};
      for (const f of fields) {
        const v = values[f.name];
        if (f.kind === 'text') body[f.name] = v ?? '';
        else if (v !== null && v !== '') body[f.name] = v;
        else if (f.optional) body[f.name] = null;
      }
      return editing ? updateRow(cfg.master, Number(row.id), body) : createRow(cfg.master, body);
    },
    onSuccess: async (saved) => {
      await qc.invalidateQueries({ queryKey: orgKey });
      onSaved(saved);
    },
    onError: (e) => {
      if (e instanceof ApiError) {
        const fe = e.fieldErrors();
        setErrors(fe);
        const shown = Object.keys(fe).some((k) => fields.some((f) => f.name === k));
        setProblem(shown ? null : e.problem.title);
      } else setProblem(t('common.somethingWrong'));
    },
  });

  const set = (name: string, v: string | number | null) => {
    setValues((s) => ({ ...s, [name]: v }));
    setErrors((s) => ({ ...s, [name]: '' }));
  };

  return (
    <Modal
      opened
      onClose={() => !save.isPending && onClose()}
      size="lg"
      centered
      title={t(editing ? 'org.editTitle' : 'org.addTitle', { master: t(`org.masters.${cfg.master}`) })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(null);
          save.mutate();
        }}
      >
        <Stack>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {fields.map((f) => {
              const label = t(`org.field.${f.name}`);
              const error = errors[f.name] || undefined;
              if (f.kind === 'ref') {
                const cur = row?.[f.refName ?? ''] as Ref | undefined;
                return (
                  <RefSelect
                    key={f.name}
                    master={f.ref!}
                    label={label}
                    required={!f.optional}
                    value={values[f.name] as number | null}
                    currentLabel={cur ? `${cur.code} — ${hi ? cur.nameHi : cur.nameEn}` : null}
                    onChange={(v) => set(f.name, v)}
                    error={error}
                  />
                );
              }
              if (f.kind === 'int') {
                return (
                  <NumberInput
                    key={f.name}
                    label={label}
                    required={!f.optional}
                    allowDecimal={false}
                    allowNegative={false}
                    thousandSeparator={false}
                    value={values[f.name] ?? ''}
                    onChange={(v) => set(f.name, typeof v === 'number' ? v : null)}
                    error={error}
                  />
                );
              }
              return (
                <LimitedTextInput
                  key={f.name}
                  label={label}
                  required={!f.optional}
                  maxLength={f.maxLength ?? TEXT_MAX}
                  value={String(values[f.name] ?? '')}
                  onChange={(v) => set(f.name, v)}
                  error={error}
                  lang={f.name.endsWith('Hi') ? 'hi' : undefined}
                />
              );
            })}
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={save.isPending}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
