import { Alert, Button, Group, Modal, NativeSelect, Paper, Stack, Table, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FocusEvent, type KeyboardEvent, memo, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { DAY_FIELDS, type TDayField } from '../../../shared/contracts/attendance.ts';
import { formatDate, formatDateTimeIst, todayIst } from '../../../shared/domain/dates.ts';
import { ApiError, api } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { activeAssignment, useMe } from '../../lib/session.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { RevisionDialog } from './RevisionDialog.tsx';
import { SheetFilePanel } from './SheetFilePanel.tsx';
import { attendanceKeys, monthChoices, monthLabel, sheetUrl, type TAttendanceRow, type TAttendanceSheet, useAttendanceOffices, useSheet } from './api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

type Values = Record<TDayField, string>;
type Entry = {
  values: Values;
  version: number;
  dirty: boolean;
  saving: boolean;
  /** The server's message for this row (refused values), shown under the row. */
  error: string | null;
  /** Someone else's saved row, when our save came second. */
  theirs: TAttendanceRow | null;
};

const right = { textAlign: 'right' } as const;

function valuesOf(r: TAttendanceRow): Values {
  const s = (n: number | null) => (n === null ? '' : String(n));
  return { present: s(r.present), paidLeave: s(r.paidLeave), offs: s(r.offs), absence: s(r.absence) };
}

function entryOf(r: TAttendanceRow): Entry {
  return { values: valuesOf(r), version: r.version, dirty: false, saving: false, error: null, theirs: null };
}

/** The sum of a row's days, or null while a cell is empty or not a whole number. */
function sumOf(v: Values): number | null {
  let sum = 0;
  for (const f of DAY_FIELDS) {
    const x = v[f].trim();
    if (!/^\d+$/.test(x)) return null;
    sum += Number(x);
  }
  return sum;
}

/**
 * Monthly attendance of an office (spec 05): pick the office and the month; the department
 * manager fills a grid by keyboard alone — arrows move between cells, Enter moves down, Tab goes
 * through the row, typing replaces a cell's value — and each row is saved on leaving it. Every
 * row shows whether it balances with the days on the rolls. Finalising asks for confirmation;
 * a finalised month (and anyone's month they may only read) is shown read-only.
 */
export function AttendancePage() {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  const qc = useQueryClient();
  const today = todayIst();
  const months = monthChoices(today);
  const { data: offices, error: officesError } = useAttendanceOffices();
  // An agency sees a month only once the office has finalised it (the current month never is):
  // it opens on last month, and a month not shown to it is explained rather than "not found".
  const { data: me } = useMe();
  const agency = activeAssignment(me)?.scopeKind === 'agency';
  const [officeId, setOfficeId] = useState<number | null>(null);
  const [monthChoice, setMonth] = useState<string | null>(null);
  const month = monthChoice ?? (agency ? months[1]! : months[0]!);
  const { data: sheet, error: sheetError, isFetching } = useSheet(officeId, month);
  const notShownToAgency = agency && sheetError instanceof ApiError && sheetError.code === 'not_found';
  // The local rows and the office-month they belong to: the grid is drawn only once they are in, so
  // a month of 500 rows is rendered once, with its cells, not first read-only and then again.
  const [entryState, setEntryState] = useState<{ key: string; map: Map<number, Entry> }>({ key: '', map: new Map() });
  const entries = entryState.map;
  const entriesRef = useRef(entries);
  entriesRef.current = entries;
  const loadedFor = useRef('');
  const cells = useRef(new Map<string, HTMLInputElement>());
  const currentRow = useRef<number | null>(null);
  const [status, setStatus] = useState<{ text: string; color: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [finalising, setFinalising] = useState(false);
  const [finaliseError, setFinaliseError] = useState<string | null>(null);

  useEffect(() => {
    if (officeId === null && offices?.items[0]) setOfficeId(offices.items[0].officeId);
  }, [offices, officeId]);

  // A new office-month: take its rows as they are saved (local edits belong to one office-month).
  // A layout effect: the render without rows is never painted.
  useLayoutEffect(() => {
    const key = `${officeId}:${month}`;
    if (!sheet || `${sheet.officeId}:${sheet.month}` !== key || loadedFor.current === key) return;
    loadedFor.current = key;
    setEntryState({ key, map: new Map(sheet.rows.map((r) => [r.resourceId, entryOf(r)])) });
    setStatus(null);
  }, [sheet, officeId, month]);

  const rows = sheet && `${sheet.officeId}:${sheet.month}` === `${officeId}:${month}` && entryState.key === `${officeId}:${month}` ? sheet.rows : [];
  const editable = Boolean(sheet?.editable);
  const monthName = monthLabel(month, i18n.language);
  const officeName = sheet ? name(sheet.officeNameEn, sheet.officeNameHi) : '';

  const patch = useCallback((resourceId: number, p: Partial<Entry>) => {
    setEntryState((s) => {
      const e = s.map.get(resourceId);
      if (!e) return s;
      const next = new Map(s.map);
      next.set(resourceId, { ...e, ...p });
      return { key: s.key, map: next };
    });
  }, []);

  const saveRow = useCallback(
    async (index: number, versionOverride?: number) => {
      const r = rows[index];
      if (!r || !sheet) return;
      const e = entriesRef.current.get(r.resourceId);
      if (!e || (!e.dirty && versionOverride === undefined) || e.saving) return;
      const values = e.values;
      if (DAY_FIELDS.some((f) => values[f].trim() === '')) return; // incomplete: saved once all four are filled
      const who = name(r.nameEn, r.nameHi);
      const body = {
        rows: [
          {
            resourceId: r.resourceId,
            version: versionOverride ?? e.version,
            present: Number(values.present),
            paidLeave: Number(values.paidLeave),
            offs: Number(values.offs),
            absence: Number(values.absence),
          },
        ],
      };
      if (DAY_FIELDS.some((f) => !Number.isFinite(Number(values[f])))) {
        patch(r.resourceId, {
          error: `${t('attendance.cellLabel', { column: t(`attendance.col.${DAY_FIELDS.find((f) => !Number.isFinite(Number(values[f])))}`), name: who })}: ${t('validation.not_integer')}`,
        });
        return;
      }
      patch(r.resourceId, { saving: true });
      try {
        const next = await api<TAttendanceSheet>('PUT', `${sheetUrl(sheet.officeId, sheet.month)}/rows`, body);
        qc.setQueryData(attendanceKeys.sheet(sheet.officeId, sheet.month), next);
        const saved = next.rows.find((x) => x.resourceId === r.resourceId);
        const now = entriesRef.current.get(r.resourceId);
        // Keep anything typed while the save was under way.
        const changedMeanwhile = now && DAY_FIELDS.some((f) => now.values[f] !== values[f]);
        if (saved)
          patch(r.resourceId, {
            version: saved.version,
            dirty: Boolean(changedMeanwhile),
            saving: false,
            error: null,
            theirs: null,
            ...(changedMeanwhile ? {} : { values: valuesOf(saved) }),
          });
        setStatus({ text: t('attendance.saved', { row: index + 1, name: who }), color: 'green' });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'attendance_conflict') {
          const fresh = await qc.fetchQuery({
            queryKey: attendanceKeys.sheet(sheet.officeId, sheet.month),
            queryFn: () => api<TAttendanceSheet>('GET', sheetUrl(sheet.officeId, sheet.month)),
          });
          const theirs = fresh.rows.find((x) => x.resourceId === r.resourceId) ?? null;
          patch(r.resourceId, { saving: false, theirs, error: null });
          setStatus({ text: t('attendance.conflict', { row: index + 1, name: who }), color: 'orange' });
        } else if (err instanceof ApiError) {
          const msgs = err.problem.errors?.map((x) => x.message ?? x.code) ?? [];
          patch(r.resourceId, { saving: false, error: msgs.length ? msgs.join(' ') : err.message });
        } else {
          patch(r.resourceId, { saving: false, error: String(err) });
        }
      }
    },
    [rows, sheet, name, patch, qc, t],
  );

  const focusCell = (row: number, col: number) => {
    const el = cells.current.get(`${row}:${col}`);
    if (el) {
      el.focus();
      el.select();
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>, row: number, col: number) => {
    const moves: Record<string, [number, number]> = {
      ArrowRight: [row, col + 1],
      ArrowLeft: [row, col - 1],
      ArrowUp: [row - 1, col],
      ArrowDown: [row + 1, col],
      Enter: [row + 1, col],
    };
    const to = moves[e.key];
    if (!to) return;
    e.preventDefault();
    if (e.key === 'Enter' && row === rows.length - 1) {
      // Enter on the last row saves it (there is no row below to move to).
      void saveRow(row);
      return;
    }
    focusCell(to[0], to[1]);
  };

  const onCellFocus = (e: FocusEvent<HTMLInputElement>, row: number) => {
    e.currentTarget.select();
    if (currentRow.current !== null && currentRow.current !== row) void saveRow(currentRow.current);
    currentRow.current = row;
  };

  const onGridBlur = (e: FocusEvent<HTMLTableElement>) => {
    if (e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget)) return;
    if (currentRow.current !== null) void saveRow(currentRow.current);
    currentRow.current = null;
  };

  const setValue = (resourceId: number, field: TDayField, value: string) => {
    const e = entriesRef.current.get(resourceId);
    if (e) patch(resourceId, { values: { ...e.values, [field]: value.replace(/\s/g, '') }, dirty: true });
  };

  const chunks = useMemo(() => chunksOf(rows), [rows]);
  const done = rows.filter((r) => {
    const e = entries.get(r.resourceId);
    return r.balanced && e && !e.dirty;
  }).length;
  const anyDirty = [...entries.values()].some((e) => e.dirty || e.saving);

  const finalise = async () => {
    if (!sheet) return;
    setFinalising(true);
    setFinaliseError(null);
    try {
      const next = await api<TAttendanceSheet>('POST', `${sheetUrl(sheet.officeId, sheet.month)}/finalise`);
      qc.setQueryData(attendanceKeys.sheet(sheet.officeId, sheet.month), next);
      setConfirming(false);
      setStatus({ text: t('attendance.finalised', { month: monthName }), color: 'green' });
    } catch (err) {
      setFinaliseError(err instanceof Error ? err.message : String(err));
    } finally {
      setFinalising(false);
    }
  };

  const finalisedSheet = sheet?.state === 'finalised';
  const captionId = useId();

  // The rows get one object of handlers that never changes (each call goes to this render's
  // functions through a ref), so a keystroke re-renders only the row it changed (issue 15 item 2:
  // at 500 rows, re-rendering every row on every keystroke took ~0.5 s a key).
  const latest = useRef({ onKeyDown, onCellFocus, setValue, saveRow, onRevisionDone: () => {} });
  latest.current = {
    onKeyDown,
    onCellFocus,
    setValue,
    saveRow,
    onRevisionDone: () => {
      if (!sheet) return;
      setStatus({ text: t('attendance.revision.requested'), color: 'green' });
      void qc.invalidateQueries({ queryKey: attendanceKeys.sheet(sheet.officeId, sheet.month) });
    },
  };
  const actions = useMemo<RowActions>(
    () => ({
      onKeyDown: (e, row, col) => latest.current.onKeyDown(e, row, col),
      onCellFocus: (e, row) => latest.current.onCellFocus(e, row),
      setValue: (resourceId, field, value) => latest.current.setValue(resourceId, field, value),
      saveRow: (index, version) => void latest.current.saveRow(index, version),
      onRevisionDone: () => latest.current.onRevisionDone(),
      cellRef: (row, col, el) => {
        if (el) cells.current.set(`${row}:${col}`, el);
        else cells.current.delete(`${row}:${col}`);
      },
    }),
    [],
  );

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('attendance.title')} />
      <Text size="sm" mb="md" maw={900}>
        {/* An agency reads finalised months of its own resources and enters nothing: the entry help is not for it. */}
        {t(agency ? 'attendance.introAgency' : 'attendance.intro')}
      </Text>
      {(officesError || sheetError) && (
        <Alert color={notShownToAgency && !officesError ? 'blue' : 'red'} role="alert" mb="sm">
          {notShownToAgency && !officesError
            ? t('attendance.agencyNotFinalised', { month: monthLabel(month, i18n.language) })
            : (officesError ?? sheetError)?.message}
        </Alert>
      )}
      <Group align="flex-end" mb="md">
        <NativeSelect
          label={t('attendance.office')}
          value={officeId === null ? '' : String(officeId)}
          onChange={(e) => setOfficeId(Number(e.currentTarget.value))}
          data={(offices?.items ?? []).map((o) => ({ value: String(o.officeId), label: name(o.nameEn, o.nameHi) }))}
          miw={320}
          data-testid="attendance-office"
        />
        <NativeSelect
          label={t('attendance.month')}
          value={month}
          onChange={(e) => setMonth(e.currentTarget.value)}
          data={months.map((m) => ({ value: m, label: monthLabel(m, i18n.language) }))}
          data-testid="attendance-month"
        />
      </Group>
      {offices && offices.items.length === 0 && <Text>{t('attendance.noOffices')}</Text>}
      <div role="status" aria-live="polite">
        {status && (
          <Alert color={status.color} mb="sm" data-testid="attendance-status">
            <Text size="sm" c="dark.9">
              {status.text}
            </Text>
          </Alert>
        )}
      </div>
      {sheet && rows.length > 0 && (
        <Stack gap="xs">
          <Group justify="space-between">
            <Text fw={600} data-testid="attendance-state">
              {sheet.state === 'finalised' ? t('attendance.stateFinalised') : t('attendance.stateOpen')} ·{' '}
              {t('attendance.progress', { done, total: rows.length })}
            </Text>
            {editable && (
              <Button onClick={() => setConfirming(true)} disabled={!sheet.canFinalise || anyDirty} data-testid="attendance-finalise">
                {t('attendance.finalise')}
              </Button>
            )}
          </Group>
          {sheet.state === 'finalised' && sheet.finalisedAt && (
            <Text size="sm">{t('attendance.finalisedOn', { date: formatDateTimeIst(sheet.finalisedAt) })}</Text>
          )}
          {sheet.holidays.length > 0 && (
            <div data-testid="attendance-holidays">
              <Text size="sm" fw={600}>
                {t('attendance.holiday.title')} · {t('attendance.holiday.note')}
              </Text>
              <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
                {sheet.holidays.map((h) => (
                  <li key={h.id}>
                    <Text size="sm" span>
                      {t('attendance.holiday.item', { date: formatDate(h.date), name: name(h.nameEn, h.nameHi), kind: t(`attendance.holiday.${h.kind}`) })}
                    </Text>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {sheet.state === 'open' && !editable && <Text size="sm">{month > today.slice(0, 7) ? t('attendance.futureMonth') : t('attendance.readOnly')}</Text>}
          {editable && !sheet.canFinalise && (
            <Text size="sm" c="dark.7">
              {t('attendance.finaliseNotYet')}
            </Text>
          )}
          <Table.ScrollContainer minWidth={1100}>
            {/* Laid out as a CSS grid (explicit roles keep the table's semantics, which a CSS display
                other than table can drop) so that the rows can come in groups the browser skips
                while they are off screen: see .attendance-grid in ui/theme.css. */}
            <Table
              withTableBorder
              aria-busy={isFetching}
              onBlur={editable ? onGridBlur : undefined}
              className="attendance-grid"
              data-revision={finalisedSheet || undefined}
              role="table"
              aria-labelledby={captionId}
              data-testid="attendance-grid"
            >
              <TableCaption id={captionId}>{t('attendance.caption', { office: officeName, month: monthName })}</TableCaption>
              <Table.Thead role="rowgroup">
                <Table.Tr role="row">
                  <Table.Th role="columnheader" style={right}>
                    {t('attendance.col.row')}
                  </Table.Th>
                  <Table.Th role="columnheader">{t('attendance.col.name')}</Table.Th>
                  <Table.Th role="columnheader">{t('attendance.col.period')}</Table.Th>
                  <Table.Th role="columnheader" style={right}>
                    {t('attendance.col.daysOnRolls')}
                  </Table.Th>
                  {DAY_FIELDS.map((f) => (
                    <Table.Th
                      key={f}
                      role="columnheader"
                      style={f === 'offs' && sheet.holidays.length > 0 ? { ...right, background: '#fff2cc' } : right}
                      data-testid={`attendance-col-${f}`}
                    >
                      {t(`attendance.col.${f}`)}
                      {f === 'offs' && sheet.holidays.length > 0 && (
                        <Text size="xs" fw={400} c="dark.9">
                          {t('attendance.holiday.columnMark', { count: sheet.holidays.length })}
                        </Text>
                      )}
                    </Table.Th>
                  ))}
                  <Table.Th role="columnheader">{t('attendance.col.balance')}</Table.Th>
                  {finalisedSheet && <Table.Th role="columnheader">{t('attendance.col.revision')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              {chunks.map((chunk, k) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a group is its place in the list (rows 1–25, 26–50, …)
                <tbody key={k} {...groupProps}>
                  {chunk.map(({ r, i }) => (
                    <GridRow
                      key={r.resourceId}
                      r={r}
                      index={i}
                      entry={entries.get(r.resourceId)}
                      editable={editable}
                      finalisedSheet={finalisedSheet}
                      officeId={sheet.officeId}
                      month={sheet.month}
                      canRequestRevision={sheet.canRequestRevision}
                      actions={actions}
                    />
                  ))}
                </tbody>
              ))}
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
      {sheet && rows.length === 0 && !isFetching && <Text>{t('attendance.noRows')}</Text>}
      {sheet && editable && rows.length > 0 && (
        <SheetFilePanel
          base={sheetUrl(sheet.officeId, sheet.month)}
          onSaved={() => {
            // The upload changed saved rows: take them as saved (local edits of this office-month are replaced).
            loadedFor.current = '';
            void qc.invalidateQueries({ queryKey: attendanceKeys.sheet(sheet.officeId, sheet.month) });
          }}
        />
      )}
      {confirming && sheet && (
        <Modal
          opened
          onClose={() => !finalising && setConfirming(false)}
          title={t('attendance.finaliseTitle', { month: monthName })}
          closeButtonProps={{ 'aria-label': t('common.close') }}
          centered
        >
          <Stack>
            <Text size="sm">{t('attendance.finaliseBody', { office: officeName, month: monthName })}</Text>
            {finaliseError && (
              <Alert color="red" role="alert">
                {finaliseError}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(false)} disabled={finalising}>
                {t('common.cancel')}
              </Button>
              <Button onClick={() => void finalise()} loading={finalising} data-autofocus data-testid="attendance-finalise-confirm">
                {t('attendance.finaliseConfirm')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Paper>
  );
}

type RowActions = {
  onKeyDown: (e: KeyboardEvent<HTMLInputElement>, row: number, col: number) => void;
  onCellFocus: (e: FocusEvent<HTMLInputElement>, row: number) => void;
  setValue: (resourceId: number, field: TDayField, value: string) => void;
  saveRow: (index: number, versionOverride?: number) => void;
  onRevisionDone: () => void;
  cellRef: (row: number, col: number, el: HTMLInputElement | null) => void;
};

type GridRowProps = {
  r: TAttendanceRow;
  index: number;
  entry: Entry | undefined;
  editable: boolean;
  finalisedSheet: boolean;
  officeId: number;
  month: string;
  canRequestRevision: boolean;
  actions: RowActions;
};

function balanceText(t: TFunction, r: TAttendanceRow, e: Entry | undefined) {
  if (!e) return '';
  if (r.offRolls) return t('attendance.offRolls');
  if (e.saving) return t('attendance.saving');
  const sum = sumOf(e.values);
  if (sum === null) return t('attendance.unsaved');
  const diff = r.daysOnRolls - sum;
  if (diff > 0) return t('attendance.offBy', { diff });
  if (diff < 0) return t('attendance.overBy', { diff: -diff });
  return e.dirty || !r.balanced ? `${t('attendance.balanced')} · ${t('attendance.unsaved')}` : t('attendance.balanced');
}

function balanceColor(r: TAttendanceRow, e: Entry | undefined) {
  const sum = e ? sumOf(e.values) : null;
  if (sum === null || sum !== r.daysOnRolls) return 'red.9';
  return e?.dirty || !r.balanced ? 'dark.9' : '#1b6e2e';
}

/** Saved rows compare by value: a save answers with the whole sheet, whose unchanged rows are new objects with the same content. */
function sameProps(a: GridRowProps, b: GridRowProps): boolean {
  for (const k of Object.keys(a) as (keyof GridRowProps)[]) {
    if (k === 'r') continue;
    if (a[k] !== b[k]) return false;
  }
  return a.r === b.r || JSON.stringify(a.r) === JSON.stringify(b.r);
}

/** Rows per group of the grid: a group off screen is neither laid out nor painted (content-visibility). */
const CHUNK = 25;

function chunksOf(rows: TAttendanceRow[]): { r: TAttendanceRow; i: number }[][] {
  const out: { r: TAttendanceRow; i: number }[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK).map((r, j) => ({ r, i: i + j })));
  return out;
}

// The rows are plain elements with Mantine's table classes (a row's look is the same): at 500 rows a
// Mantine component per cell was ~5,500 components to render when the month opens.
// The roles are not redundant: the grid's CSS display (grid, block) can take a table's implicit
// roles away in some browsers, so every part carries its role explicitly.
const groupProps = { className: 'attendance-chunk', role: 'rowgroup' } as const;
const rowProps = { className: Table.classes.tr, role: 'row', 'data-with-row-border': true } as const;
const cellProps = { className: Table.classes.td, role: 'cell' } as const;
const rowHeaderProps = { className: Table.classes.th, role: 'rowheader' } as const;
const noteProps = { className: `${Table.classes.td} attendance-note`, role: 'cell' } as const;
const nameStyle = { fontWeight: 500 } as const;

/** One resource's row of the grid (and the note under it: the server's refusal, or someone else's saved values). */
const GridRow = memo(function GridRow({ r, index: i, entry: e, editable, finalisedSheet, officeId, month, canRequestRevision, actions }: GridRowProps) {
  const { t } = useTranslation();
  const name = useBilingual();
  const who = name(r.nameEn, r.nameHi);
  return (
    <>
      <tr {...rowProps} data-testid={`attendance-row-${r.resourceId}`}>
        <td {...cellProps} style={right}>
          {i + 1}
        </td>
        <th {...rowHeaderProps} scope="row" style={nameStyle}>
          {who}
          <Text size="xs" c="dark.6">
            {name(r.postNameEn, r.postNameHi)}
          </Text>
          {r.revised && (
            <Text size="xs" c="blue.9" fw={600} data-testid={`revised-${r.resourceId}`}>
              {t('attendance.revision.revised', { no: r.revised.revisionNo })}
            </Text>
          )}
        </th>
        <td {...cellProps}>
          {formatDate(r.fromDate)} – {formatDate(r.toDate)}
        </td>
        <td {...cellProps} style={right}>
          {r.daysOnRolls}
        </td>
        {DAY_FIELDS.map((f, c) => (
          <td key={f} {...cellProps} style={right}>
            {editable && e ? (
              <span className="attendance-cellbox">
                <input
                  ref={(el) => actions.cellRef(i, c, el)}
                  className="attendance-cell"
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  aria-label={t('attendance.cellLabel', { column: t(`attendance.col.${f}`), name: who })}
                  aria-invalid={Boolean(e.error) || undefined}
                  value={e.values[f]}
                  onChange={(ev) => actions.setValue(r.resourceId, f, ev.currentTarget.value)}
                  onKeyDown={(ev) => actions.onKeyDown(ev, i, c)}
                  onFocus={(ev) => actions.onCellFocus(ev, i)}
                  size={3}
                  data-testid={`cell-${r.resourceId}-${f}`}
                />
              </span>
            ) : r.revised && r.revised[f] !== r[f] ? (
              <span data-testid={`effective-${r.resourceId}-${f}`}>
                <s aria-hidden="true">{r[f] ?? '—'}</s> <strong>{r.revised[f]}</strong>
              </span>
            ) : (
              (r.revised?.[f] ?? r[f] ?? '—')
            )}
          </td>
        ))}
        <td {...cellProps}>
          <Text size="sm" c={balanceColor(r, e)} className={r.offRolls ? undefined : 'attendance-balance'} data-testid={`balance-${r.resourceId}`}>
            {editable ? balanceText(t, r, e) : r.balanced ? t('attendance.balanced') : t('attendance.unsaved')}
          </Text>
        </td>
        {finalisedSheet && (
          <td {...cellProps}>
            {r.revised && (
              <Text size="xs" c="dark.9">
                {t('attendance.revision.inForce', r.revised)}
              </Text>
            )}
            {r.revisionPending ? (
              <Text size="sm" c="#8a3a00" fw={600} data-testid={`revision-pending-${r.resourceId}`}>
                {t('attendance.revision.pending')}
              </Text>
            ) : (
              canRequestRevision && <RevisionDialog officeId={officeId} month={month} row={r} who={who} onDone={actions.onRevisionDone} />
            )}
          </td>
        )}
      </tr>
      {e?.error || e?.theirs ? (
        <tr {...rowProps}>
          <td {...noteProps} colSpan={9}>
            {e.error && (
              <Text size="sm" c="red.9" role="alert">
                {e.error}
              </Text>
            )}
            {e.theirs && (
              <Group gap="sm">
                <Text size="sm" c="dark.9">
                  {t('attendance.theirs', {
                    present: e.theirs.present ?? '—',
                    paidLeave: e.theirs.paidLeave ?? '—',
                    offs: e.theirs.offs ?? '—',
                    absence: e.theirs.absence ?? '—',
                  })}
                </Text>
                <Button size="xs" variant="outline" onClick={() => actions.saveRow(i, e.theirs!.version)}>
                  {t('attendance.useMine')}
                </Button>
              </Group>
            )}
          </td>
        </tr>
      ) : null}
    </>
  );
}, sameProps);
