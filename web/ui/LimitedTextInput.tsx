import { Textarea, type TextareaProps, TextInput, type TextInputProps } from '@mantine/core';
import { type ClipboardEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A text box with a length limit that says so: a counter once the text nears the limit, and a plain
 * message when a paste was cut at the limit. A bare `maxLength` cut a 5,000-character paste to 100
 * without a word (issue 12.5). The browser still enforces the limit, so what is sent is what is shown.
 */
export function LimitedTextInput({
  maxLength,
  value,
  onChange,
  description,
  ...rest
}: Omit<TextInputProps, 'value' | 'onChange' | 'maxLength'> & { maxLength: number; value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const [cutFrom, setCutFrom] = useState<number | null>(null);
  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const el = e.currentTarget;
    const pasted = e.clipboardData.getData('text').length;
    const kept = el.value.length - ((el.selectionEnd ?? 0) - (el.selectionStart ?? 0));
    setCutFrom(kept + pasted > maxLength ? kept + pasted : null);
  };
  const near = value.length >= Math.floor(maxLength * 0.8);
  const note =
    cutFrom !== null && value.length >= maxLength
      ? t('common.textCut', { count: cutFrom, max: maxLength })
      : near
        ? t('common.charCount', { count: value.length, max: maxLength })
        : null;
  return (
    <TextInput
      {...rest}
      maxLength={maxLength}
      value={value}
      onPaste={onPaste}
      onChange={(e) => {
        if (e.currentTarget.value.length < maxLength) setCutFrom(null);
        onChange(e.currentTarget.value);
      }}
      description={
        note ? (
          <>
            {description ? <>{description} </> : null}
            <span aria-live="polite">{note}</span>
          </>
        ) : (
          description
        )
      }
    />
  );
}

/** The same for a multi-line text box (remarks, reasons): a counter near the limit, a message when a paste was cut. */
export function LimitedTextarea({
  maxLength,
  value,
  onChange,
  description,
  ...rest
}: Omit<TextareaProps, 'value' | 'onChange' | 'maxLength'> & { maxLength: number; value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const [cutFrom, setCutFrom] = useState<number | null>(null);
  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const el = e.currentTarget;
    const pasted = e.clipboardData.getData('text').length;
    const kept = el.value.length - ((el.selectionEnd ?? 0) - (el.selectionStart ?? 0));
    setCutFrom(kept + pasted > maxLength ? kept + pasted : null);
  };
  const near = value.length >= Math.floor(maxLength * 0.8);
  const note =
    cutFrom !== null && value.length >= maxLength
      ? t('common.textCut', { count: cutFrom, max: maxLength })
      : near
        ? t('common.charCount', { count: value.length, max: maxLength })
        : null;
  const described: ReactNode = note ? (
    <>
      {description ? <>{description} </> : null}
      <span aria-live="polite">{note}</span>
    </>
  ) : (
    description
  );
  return (
    <Textarea
      {...rest}
      maxLength={maxLength}
      value={value}
      onPaste={onPaste}
      onChange={(e) => {
        if (e.currentTarget.value.length < maxLength) setCutFrom(null);
        onChange(e.currentTarget.value);
      }}
      description={described}
    />
  );
}
