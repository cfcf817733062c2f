import { Badge, type BadgeProps } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A status badge that never clips: Mantine's badge has a fixed height, upper-cases and cuts its
 * label with an ellipsis, which loses Devanagari matras and whole words ("लागू" → "ला.").
 */
export function Tag({ children, ...props }: BadgeProps & { children: ReactNode; 'data-testid'?: string }) {
  return (
    <Badge
      {...props}
      styles={{
        root: { height: 'auto', minHeight: 22, paddingBlock: 2, maxWidth: 'none', flexShrink: 0 },
        label: { overflow: 'visible', textOverflow: 'clip', textTransform: 'none', whiteSpace: 'nowrap', lineHeight: 1.5, fontSize: 12, fontWeight: 600 },
      }}
    >
      {children}
    </Badge>
  );
}
