import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { LimitedTextInput } from '../../ui/LimitedTextInput.tsx';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TLookupReply, TOfficeOption } from '../../../shared/contracts/users.ts';
import { EMAIL_RE, MOBILE_RE } from '../../../shared/domain/validators.ts';
import { activeAssignment, useMe } from '../../lib/session.ts';
import { FINANCE_ASSIGNABLE_ROLES, OFFICE_ASSIGNABLE_ROLES } from '../../../shared/roles.ts';
import { ApiError } from '../../lib/api.ts';
import { addOfficeUser, lookupMobile } from './api.ts';

type Form = { mobile: string; name: string; employeeId: string; officePhone: string; officialEmail: string; designation: string; role: string };
const EMPTY: Form = { mobile: '', name: '', employeeId: '', officePhone: '', officialEmail: '', designation: '', role: 'department_manager' };

/**
 * "Add User" (manual section 7): the mobile number first. An existing user is shown by name and
 * mapped to the office; for a new number the remaining details create the user, whose login
 * details go by SMS. Acting as Finance, the role may also be a district admin: it keeps the local
 * holidays of the office's district (issue 15 item 4).
 */
export function AddUserModal({
  office,
  opened,
  onClose,
  onDone,
}: {
  office: TOfficeOption;
  opened: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const roles = activeAssignment(me)?.role === 'finance_admin' ? [...OFFICE_ASSIGNABLE_ROLES, ...FINANCE_ASSIGNABLE_ROLES] : OFFICE_ASSIGNABLE_ROLES;
  const [form, setForm] = useState<Form>(EMPTY);
  const [found, setFound] = useState<TLookupReply | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (opened) {
      setForm(EMPTY);
      setFound(null);
      setErrors({});
      setProblem(null);
    }
  }, [opened]);

  const set = (k: keyof Form) => (v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => ({ ...e, [k]: '' }));
    if (k === 'mobile') setFound(null);
  };

  const showProblem = (e: unknown) => {
    if (e instanceof ApiError) {
      setErrors(e.fieldErrors());
      setProblem(e.problem.title);
    } else setProblem(t('common.somethingWrong'));
  };

  const check = useMutation({
    mutationFn: () => lookupMobile(office.id, form.mobile.trim()),
    onSuccess: (r) => {
      setFound(r);
      setProblem(null);
    },
    onError: showProblem,
  });

  const save = useMutation({
    mutationFn: () =>
      addOfficeUser({
        officeId: office.id,
        mobile: form.mobile.trim(),
        name: found?.exists ? '' : form.name.trim(),
        employeeId: found?.exists ? '' : form.employeeId.trim(),
        officePhone: found?.exists ? '' : form.officePhone.trim(),
        officialEmail: form.officialEmail.trim(),
        designation: form.designation.trim(),
        role: form.role as 'department_manager',
      }),
    onSuccess: (r) => onDone(t(r.outcome === 'created' ? 'users.created' : 'users.mapped', { username: r.username })),
    onError: showProblem,
  });

  const onCheck = () => {
    if (!MOBILE_RE.test(form.mobile.trim())) {
      setErrors({ mobile: t('validation.mobile_format') });
      return;
    }
    if (!check.isPending) check.mutate();
  };

  const onSave = () => {
    const errs: Record<string, string> = {};
    if (found && !found.exists && !form.name.trim()) errs.name = t('validation.required');
    if (form.officialEmail.trim() && !EMAIL_RE.test(form.officialEmail.trim())) errs.officialEmail = t('validation.email_format');
    if (Object.values(errs).some(Boolean)) {
      setErrors(errs);
      return;
    }
    if (!save.isPending) save.mutate();
  };

  const busy = check.isPending || save.isPending;
  const officeName = i18n.language === 'hi' ? office.nameHi : office.nameEn;

  return (
    <Modal
      opened={opened}
      onClose={() => !busy && onClose()}
      title={`${t('users.addUserTitle')}: ${officeName} (${office.id})`}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      size="lg"
      centered
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (found) onSave();
          else onCheck();
        }}
        noValidate
      >
        <Stack>
          <Text size="sm">{t('users.mobileFirst')}</Text>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <Group align="flex-end">
            <TextInput
              label={t('users.fields.mobile')}
              required
              inputMode="numeric"
              maxLength={10}
              autoComplete="off"
              value={form.mobile}
              onChange={(e) => set('mobile')(e.currentTarget.value.replace(/\D/g, ''))}
              error={errors.mobile || undefined}
              w={220}
            />
            {!found && (
              <Button type="submit" loading={check.isPending} disabled={busy}>
                {t('users.checkMobile')}
              </Button>
            )}
          </Group>
          {found && (
            <>
              {found.exists ? (
                <Alert color={found.inOffice ? 'yellow' : 'blue'} role="status">
                  {found.inOffice
                    ? t('users.alreadyInOffice', { name: found.name })
                    : `${t('errors.user_not_in_office')} ${t('users.existingUser', { name: found.name })}`}
                </Alert>
              ) : (
                <Alert color="blue" role="status">
                  {t('users.newUser')}
                </Alert>
              )}
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                {!found.exists && (
                  <>
                    <LimitedTextInput
                      label={t('users.fields.name')}
                      required
                      value={form.name}
                      onChange={(v) => set('name')(v)}
                      error={errors.name || undefined}
                      maxLength={120}
                    />
                    <LimitedTextInput
                      label={t('users.fields.employeeId')}
                      value={form.employeeId}
                      onChange={(v) => set('employeeId')(v)}
                      error={errors.employeeId || undefined}
                      maxLength={40}
                    />
                    <LimitedTextInput
                      label={t('users.fields.officePhone')}
                      inputMode="tel"
                      value={form.officePhone}
                      onChange={(v) => set('officePhone')(v)}
                      error={errors.officePhone || undefined}
                      maxLength={20}
                    />
                  </>
                )}
                <LimitedTextInput
                  label={t('users.fields.officialEmail')}
                  type="email"
                  value={form.officialEmail}
                  onChange={(v) => set('officialEmail')(v)}
                  error={errors.officialEmail || undefined}
                  maxLength={254}
                />
                <LimitedTextInput
                  label={t('users.fields.designation')}
                  value={form.designation}
                  onChange={(v) => set('designation')(v)}
                  error={errors.designation || undefined}
                  maxLength={120}
                />
                <Select
                  label={t('users.fields.role')}
                  required
                  allowDeselect={false}
                  data={roles.map((r) => ({ value: r, label: t(`common.roles.${r}`) }))}
                  value={form.role}
                  onChange={(v) => set('role')(v ?? 'department_manager')}
                  error={errors.role || undefined}
                  description={form.role === 'district_admin' ? t('users.districtAdminNote') : undefined}
                  data-testid="add-user-role"
                />
              </SimpleGrid>
              <Group justify="flex-end">
                <Button variant="default" onClick={onClose} disabled={busy}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" loading={save.isPending} disabled={busy}>
                  {t('common.save')}
                </Button>
              </Group>
            </>
          )}
        </Stack>
      </form>
    </Modal>
  );
}
