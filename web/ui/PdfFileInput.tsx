import { FileInput, type FileInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * A PDF chooser in the page's language: a button that reads "Choose a PDF file" (or the chosen
 * file's name) instead of the browser's own "Choose file / No file chosen", which stays English
 * on Hindi pages (issue 12.4). The label names the button; clearing is a labelled button too.
 */
export function PdfFileInput({ label, ...rest }: Omit<FileInputProps<false>, 'accept' | 'multiple' | 'placeholder'> & { label: string }) {
  const { t } = useTranslation();
  return (
    <FileInput
      {...rest}
      label={label}
      accept="application/pdf,.pdf"
      placeholder={t('common.choosePdf')}
      clearable
      clearButtonProps={{ 'aria-label': t('common.clearFile', { name: label }) }}
    />
  );
}
