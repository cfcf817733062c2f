import type { ReactNode } from 'react';

/**
 * A table's caption above it, left-aligned: the table's name for screen readers and its visible
 * heading in one (every data table in the app has one). `plain` drops the bold, for a secondary
 * table under a heading of its own (a history, a breakdown).
 */
export function TableCaption({ children, plain = false, id }: { children: ReactNode; plain?: boolean; id?: string }) {
  return (
    <caption id={id} style={plain ? plainStyle : boldStyle}>
      {children}
    </caption>
  );
}

const plainStyle = { captionSide: 'top', textAlign: 'left', paddingBottom: 8 } as const;
const boldStyle = { ...plainStyle, fontWeight: 600 } as const;
