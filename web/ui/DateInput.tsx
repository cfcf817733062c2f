import { TextInput, type TextInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * A date typed as dd/mm/yyyy, the way every ROAMS form takes dates (the browser's date box shows
 * mm/dd/yyyy in an English locale). Gives the typed text; `parseIndianDate` (web/lib/dates.ts) turns it into ISO.
 */
export function DateInput({ value, onChange, ...rest }: Omit<TextInputProps, 'value' | 'onChange'> & { value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  return (
    <TextInput
      placeholder={t('common.datePlaceholder')}
      description={t('common.dateHint')}
      inputMode="numeric"
      autoComplete="off"
      {...rest}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
