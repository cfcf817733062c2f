/**
 * Vendor master and advices (issue 18 item 4): pure rules.
 */

/** A proof document by its content, whatever it is called: PDF (`%PDF-`), JPEG (FF D8 FF) or PNG (89 50 4E 47 0D 0A 1A 0A). */
export function proofKindOf(bytes: Buffer): 'application/pdf' | 'image/jpeg' | 'image/png' | null {
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return null;
}

export const extensionOf = (mime: string) => (mime === 'application/pdf' ? '.pdf' : mime === 'image/png' ? '.png' : '.jpg');

/**
 * The bank of an IFSC's first four letters (RBI bank codes), for a vendor added without a bank
 * name. An unknown code names the bank by the code itself: the IFSC is what the payment uses.
 */
const BANKS: Record<string, string> = {
  SBIN: 'State Bank of India',
  PUNB: 'Punjab National Bank',
  BARB: 'Bank of Baroda',
  CNRB: 'Canara Bank',
  UBIN: 'Union Bank of India',
  BKID: 'Bank of India',
  CBIN: 'Central Bank of India',
  IOBA: 'Indian Overseas Bank',
  IDIB: 'Indian Bank',
  UCBA: 'UCO Bank',
  MAHB: 'Bank of Maharashtra',
  PSIB: 'Punjab & Sind Bank',
  HDFC: 'HDFC Bank',
  ICIC: 'ICICI Bank',
  UTIB: 'Axis Bank',
  KKBK: 'Kotak Mahindra Bank',
  YESB: 'Yes Bank',
  IBKL: 'IDBI Bank',
  INDB: 'IndusInd Bank',
  FDRL: 'Federal Bank',
};

export function bankOfIfsc(ifsc: string): string {
  const code = ifsc.slice(0, 4).toUpperCase();
  return BANKS[code] ?? code;
}

/** The advice number the treasury sees: ADV-<PD account no.>-<id> (the same as repo's SQL). */
export const adviceNoOf = (accountNo: string, id: number) => `ADV-${accountNo}-${id}`;
