/**
 * The PD ledger's rules, pure (spec 08; migration 0018 describes the ledger accounts). A posting
 * moves money between the ledger accounts of one PD line; its entries sum to zero.
 */
export type TLedgerAccount = 'line_available' | 'line_reserved' | 'deposit_source' | 'payment_out' | 'service_head' | 'government';
export type TPostingKind = 'deposit' | 'echeque_prepared' | 'echeque_passed' | 'echeque_returned' | 'reversal' | 'lapse' | 'unclaimed';
export type TEntry = { ledgerAccount: TLedgerAccount; amountPaise: number };

/** The entries of a posting of `amount` paise (> 0). A reversal is built by `reversalOf`. */
export function entriesFor(kind: Exclude<TPostingKind, 'reversal'>, amount: number): TEntry[] {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error(`pd: posting amount must be a positive integer of paise, got ${amount}`);
  switch (kind) {
    case 'deposit':
      return [
        { ledgerAccount: 'line_available', amountPaise: amount },
        { ledgerAccount: 'deposit_source', amountPaise: -amount },
      ];
    case 'echeque_prepared':
      // The available balance first: the line's row lock is taken, and an overdraft refused, by it.
      return [
        { ledgerAccount: 'line_available', amountPaise: -amount },
        { ledgerAccount: 'line_reserved', amountPaise: amount },
      ];
    case 'echeque_passed':
      return [
        { ledgerAccount: 'line_reserved', amountPaise: -amount },
        { ledgerAccount: 'payment_out', amountPaise: amount },
      ];
    case 'echeque_returned':
      return [
        { ledgerAccount: 'line_reserved', amountPaise: -amount },
        { ledgerAccount: 'line_available', amountPaise: amount },
      ];
    case 'lapse':
      // 31 March: a consolidated-fund line's unspent balance goes back to its service head.
      return [
        { ledgerAccount: 'line_available', amountPaise: -amount },
        { ledgerAccount: 'service_head', amountPaise: amount },
      ];
    case 'unclaimed':
      // A dormant other account closes: its balance is credited to government.
      return [
        { ledgerAccount: 'line_available', amountPaise: -amount },
        { ledgerAccount: 'government', amountPaise: amount },
      ];
  }
}

/** A correction: the same entries with the opposite sign (the original is never changed). Decreases come first. */
export function reversalOf(entries: readonly TEntry[]): TEntry[] {
  return entries.map((e) => ({ ledgerAccount: e.ledgerAccount, amountPaise: -e.amountPaise })).sort((a, b) => a.amountPaise - b.amountPaise);
}

/** How money may enter an account: consolidated-fund accounts only by book transfer, others only by challan. */
export function depositModeOf(source: 'consolidated' | 'other'): 'book_transfer' | 'challan' {
  return source === 'consolidated' ? 'book_transfer' : 'challan';
}

/** A line's balances as the entries give them. */
export type TLineBalance = { availablePaise: number; reservedPaise: number };

/** Applies entries to balances (the in-memory model of the database trigger); null when a balance would go below zero. */
export function applyEntries(b: TLineBalance, entries: readonly TEntry[]): TLineBalance | null {
  let { availablePaise, reservedPaise } = b;
  for (const e of entries) {
    if (e.ledgerAccount === 'line_available') availablePaise += e.amountPaise;
    if (e.ledgerAccount === 'line_reserved') reservedPaise += e.amountPaise;
    if (availablePaise < 0 || reservedPaise < 0) return null;
  }
  return { availablePaise, reservedPaise };
}

/** The line's money in a posting as a statement shows it: + in (deposit), − out (paid e-cheque); moves between available and reserved are 0. */
export function statementAmount(entries: readonly TEntry[]): number {
  return entries.filter((e) => e.ledgerAccount === 'line_available' || e.ledgerAccount === 'line_reserved').reduce((s, e) => s + e.amountPaise, 0);
}
