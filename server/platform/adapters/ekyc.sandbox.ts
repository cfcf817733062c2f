/**
 * The sandbox Aadhaar e-KYC provider: behaves like UIDAI's OTP e-KYC for the synthetic residents
 * below, and answers `ekyc_not_found` for every other number. It keeps its state in
 * `ekyc_sandbox_txns` and "sends" each OTP as an SMS into `sandbox_messages` (the developer outbox
 * page, /dev/outbox), to the resident's linked mobile, in Hindi and English.
 *
 * Rules (as UIDAI's): an OTP is valid 10 minutes; 3 wrong OTPs end the transaction; at most 3 OTP
 * requests per number in any 30 minutes; a new request supersedes the earlier OTP; a transaction
 * id answers only for the number it was started with. `SANDBOX_EKYC_DOWN=1`, or the resident
 * marked `serviceDown`, answers `ekyc_service_down`.
 */
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { deflateSync, crc32 } from 'node:zlib';
import { and, eq, gt, sql } from 'drizzle-orm';
import { aadhaarProblem, maskAadhaar, normaliseAadhaar } from '../../../shared/domain/aadhaar.ts';
import type { DbOrTx } from '../../db/client.ts';
import { translator } from '../i18n/i18n.ts';
import { sandboxMessages } from '../outbox/outbox.table.ts';
import { aadhaarHash } from '../vault/vault.ts';
import { vaultKeyring } from '../vault/vault.keys.ts';
import { type EkycAdapter, EkycError, type EkycResult } from './ekyc.ts';
import { ekycSandboxTxns } from './ekyc.sandbox.table.ts';

export type SandboxResident = {
  aadhaar: string;
  name: string;
  nameHi: string;
  dob: string;
  gender: 'M' | 'F' | 'T';
  address: string;
  mobile: string | null;
  status: 'active' | 'cancelled' | 'locked';
  /** Every call for this resident answers `ekyc_service_down` (a resident whose CIDR partition is down). */
  serviceDown?: true;
};

/**
 * Synthetic residents: made-up people with made-up, Verhoeff-valid numbers in UIDAI's 9999 test
 * range (9999 0000 nnnC) and made-up mobiles 90000 001nn. Listed in adapters/README.md.
 */
export const SANDBOX_RESIDENTS: readonly SandboxResident[] = [
  {
    aadhaar: '999900000379',
    name: 'Ramesh Kumar Patel',
    nameHi: 'रमेश कुमार पटेल',
    dob: '1988-04-12',
    gender: 'M',
    address: 'House 12, Ward 5, Shahpura, Bhopal, Madhya Pradesh 462016',
    mobile: '9000000101',
    status: 'active',
  },
  {
    aadhaar: '999900000749',
    name: 'Sunita Devi Sharma',
    nameHi: 'सुनीता देवी शर्मा',
    dob: '1992-09-30',
    gender: 'F',
    address: '45 Sudama Nagar, Indore, Madhya Pradesh 452009',
    mobile: '9000000102',
    status: 'active',
  },
  {
    aadhaar: '999900001119',
    name: 'Mohammad Arif Khan',
    nameHi: 'मोहम्मद आरिफ़ ख़ान',
    dob: '1985-01-05',
    gender: 'M',
    address: '7 Gohalpur, Jabalpur, Madhya Pradesh 482002',
    mobile: '9000000103',
    status: 'active',
  },
  {
    aadhaar: '999900001489',
    name: 'Priya Verma',
    nameHi: 'प्रिया वर्मा',
    dob: '1998-07-21',
    gender: 'F',
    address: '22 Thatipur, Gwalior, Madhya Pradesh 474011',
    mobile: '9000000104',
    status: 'active',
  },
  {
    aadhaar: '999900001853',
    name: 'Rajesh Singh Chouhan',
    nameHi: 'राजेश सिंह चौहान',
    dob: '1979-11-02',
    gender: 'M',
    address: 'Village Rahatgarh, Sagar, Madhya Pradesh 470119',
    mobile: '9000000105',
    status: 'active',
  },
  {
    aadhaar: '999900002229',
    name: 'Kavita Yadav',
    nameHi: 'कविता यादव',
    dob: '1995-03-14',
    gender: 'F',
    address: '3 Amahiya Road, Rewa, Madhya Pradesh 486001',
    mobile: '9000000106',
    status: 'active',
  },
  {
    aadhaar: '999900002595',
    name: 'Anil Kushwaha',
    nameHi: 'अनिल कुशवाहा',
    dob: '1990-12-25',
    gender: 'M',
    address: 'Ward 18, Satna, Madhya Pradesh 485001',
    mobile: '9000000107',
    status: 'active',
  },
  {
    aadhaar: '999900002962',
    name: 'Meena Bai Ahirwar',
    nameHi: 'मीना बाई अहिरवार',
    dob: '1987-06-08',
    gender: 'F',
    address: 'Village Rajnagar, Chhatarpur, Madhya Pradesh 471625',
    mobile: '9000000108',
    status: 'active',
  },
  {
    aadhaar: '999900003331',
    name: 'Suresh Meena',
    nameHi: 'सुरेश मीणा',
    dob: '1983-08-19',
    gender: 'M',
    address: '10 Sherpura, Vidisha, Madhya Pradesh 464001',
    mobile: '9000000109',
    status: 'active',
  },
  {
    aadhaar: '999900003706',
    name: 'Pooja Rajput',
    nameHi: 'पूजा राजपूत',
    dob: '2000-02-29',
    gender: 'F',
    address: 'Ward 4, Raisen, Madhya Pradesh 464551',
    mobile: '9000000110',
    status: 'active',
  },
  {
    aadhaar: '999900004078',
    name: 'Deepak Malviya',
    nameHi: 'दीपक मालवीय',
    dob: '1993-10-10',
    gender: 'M',
    address: '56 Ganj, Sehore, Madhya Pradesh 466001',
    mobile: '9000000111',
    status: 'active',
  },
  {
    aadhaar: '999900004447',
    name: 'Shabnam Bano',
    nameHi: 'शबनम बानो',
    dob: '1989-05-17',
    gender: 'F',
    address: '14 Budhwara, Bhopal, Madhya Pradesh 462001',
    mobile: '9000000112',
    status: 'active',
  },
  {
    aadhaar: '999900004819',
    name: 'Ganga Ram Bhil',
    nameHi: 'गंगा राम भील',
    dob: '1976-01-26',
    gender: 'M',
    address: 'Village Rama, Jhabua, Madhya Pradesh 457661',
    mobile: null,
    status: 'active',
  },
  {
    aadhaar: '999900005183',
    name: 'Lakshmi Bai Gond',
    nameHi: 'लक्ष्मी बाई गोंड',
    dob: '1981-09-09',
    gender: 'F',
    address: 'Village Bichhiya, Mandla, Madhya Pradesh 481990',
    mobile: null,
    status: 'active',
  },
  {
    aadhaar: '999900005550',
    name: 'Naina Kinnar',
    nameHi: 'नैना किन्नर',
    dob: '1994-04-04',
    gender: 'T',
    address: '9 Freeganj, Ujjain, Madhya Pradesh 456010',
    mobile: '9000000115',
    status: 'active',
  },
  {
    aadhaar: '999900005929',
    name: 'Vikas Tiwari',
    nameHi: 'विकास तिवारी',
    dob: '1991-07-07',
    gender: 'M',
    address: '31 Civil Lines, Katni, Madhya Pradesh 483501',
    mobile: '9000000116',
    status: 'cancelled',
  },
  {
    aadhaar: '999900006291',
    name: 'Anjali Mishra',
    nameHi: 'अंजलि मिश्रा',
    dob: '1996-11-11',
    gender: 'F',
    address: '8 Napier Town, Jabalpur, Madhya Pradesh 482001',
    mobile: '9000000117',
    status: 'locked',
  },
  {
    aadhaar: '999900006669',
    name: 'Hemant Soni',
    nameHi: 'हेमंत सोनी',
    dob: '1986-03-03',
    gender: 'M',
    address: '2 Sarafa Bazar, Indore, Madhya Pradesh 452002',
    mobile: '9000000118',
    status: 'active',
    serviceDown: true,
  },
  {
    aadhaar: '999900007039',
    name: 'Ravi Prajapati',
    nameHi: 'रवि प्रजापति',
    dob: '1997-12-01',
    gender: 'M',
    address: '17 Station Road, Dewas, Madhya Pradesh 455001',
    mobile: '9000000119',
    status: 'active',
  },
  {
    aadhaar: '999900007400',
    name: 'Sarita Uikey',
    nameHi: 'सरिता उइके',
    dob: '1999-08-15',
    gender: 'F',
    address: 'Village Lakhnadon, Seoni, Madhya Pradesh 480886',
    mobile: '9000000120',
    status: 'active',
  },
];

export const OTP_VALID_MS = 10 * 60_000;
export const MAX_OTP_ATTEMPTS = 3;
export const MAX_OTP_REQUESTS = 3;
export const OTP_REQUEST_WINDOW_MS = 30 * 60_000;

const byNumber = new Map(SANDBOX_RESIDENTS.map((r) => [r.aadhaar, r]));

function otpHash(txnId: string, otp: string): string {
  return createHmac('sha256', vaultKeyring().hmacKey).update(`ekyc-otp:${txnId}:${otp}`).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The resident for a number, or the refusal UIDAI would give before any OTP. */
function residentFor(aadhaar: string, env: Record<string, string | undefined>): SandboxResident {
  if (env.SANDBOX_EKYC_DOWN === '1') throw new EkycError('ekyc_service_down');
  const number = normaliseAadhaar(aadhaar);
  const resident = aadhaarProblem(number) === null ? byNumber.get(number) : undefined;
  if (!resident) throw new EkycError('ekyc_not_found');
  if (resident.serviceDown) throw new EkycError('ekyc_service_down');
  if (resident.status === 'cancelled') throw new EkycError('ekyc_aadhaar_cancelled');
  if (resident.status === 'locked') throw new EkycError('ekyc_aadhaar_locked');
  return resident;
}

export function sandboxEkyc(db: DbOrTx, opts: { now: () => Date; env: Record<string, string | undefined> }): EkycAdapter {
  const { now, env } = opts;
  return {
    async startOtp(aadhaar, consentId) {
      const resident = residentFor(aadhaar, env);
      if (!resident.mobile) throw new EkycError('ekyc_no_mobile');
      if (consentId.trim() === '') throw new Error('startOtp: a consent id is required (UIDAI refuses a request without consent)');
      const mobile = resident.mobile;
      const hash = aadhaarHash(resident.aadhaar);
      const at = now();
      const otp = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const txnId = `SBX-${randomUUID()}`;
      await db.transaction(async (tx) => {
        // One request at a time per number, so two at the same moment cannot both slip under the limit.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`ekyc:${hash}`}, 0))`);
        const [recent] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(ekycSandboxTxns)
          .where(and(eq(ekycSandboxTxns.aadhaarHash, hash), gt(ekycSandboxTxns.createdAt, new Date(at.getTime() - OTP_REQUEST_WINDOW_MS))));
        const earlier = recent?.n ?? 0;
        if (earlier >= MAX_OTP_REQUESTS) throw new EkycError('ekyc_resend_limit');
        await tx
          .update(ekycSandboxTxns)
          .set({ status: 'superseded' })
          .where(and(eq(ekycSandboxTxns.aadhaarHash, hash), eq(ekycSandboxTxns.status, 'pending')));
        await tx.insert(ekycSandboxTxns).values({
          txnId,
          aadhaarHash: hash,
          otpHash: otpHash(txnId, otp),
          consentId,
          resends: earlier,
          createdAt: at,
          expiresAt: new Date(at.getTime() + OTP_VALID_MS),
        });
        const params = { otp, masked: maskAadhaar(resident.aadhaar.slice(-4)), txn: txnId.slice(-6) };
        const body = `${translator('hi')('ekyc.sms.otp', params)}\n${translator('en')('ekyc.sms.otp', params)}`;
        await tx.insert(sandboxMessages).values({ channel: 'sms', recipient: mobile, body, createdAt: at });
      });
      return { txnId, maskedMobile: `XXXXXX${mobile.slice(-4)}` };
    },

    async verifyOtp(txnId, aadhaar, otp) {
      if (env.SANDBOX_EKYC_DOWN === '1') throw new EkycError('ekyc_service_down');
      const [txn] = await db.select().from(ekycSandboxTxns).where(eq(ekycSandboxTxns.txnId, txnId));
      if (!txn || !sameHash(txn.aadhaarHash, aadhaarHash(normaliseAadhaar(aadhaar)))) throw new EkycError('ekyc_txn_mismatch');
      const resident = residentFor(aadhaar, env);
      if (txn.status === 'failed') throw new EkycError('ekyc_attempts_exceeded');
      if (txn.status !== 'pending' || now().getTime() >= txn.expiresAt.getTime()) throw new EkycError('ekyc_otp_expired');
      if (!/^[0-9]{6}$/.test(otp) || !sameHash(txn.otpHash, otpHash(txnId, otp))) {
        // Counted atomically: concurrent wrong guesses cannot get past the third.
        const [counted] = await db
          .update(ekycSandboxTxns)
          .set({
            attempts: sql`${ekycSandboxTxns.attempts} + 1`,
            status: sql`case when ${ekycSandboxTxns.attempts} + 1 >= ${MAX_OTP_ATTEMPTS} then 'failed' else 'pending' end`,
          })
          .where(and(eq(ekycSandboxTxns.txnId, txnId), eq(ekycSandboxTxns.status, 'pending')))
          .returning({ status: ekycSandboxTxns.status });
        if (!counted) throw new EkycError('ekyc_otp_expired');
        throw new EkycError(counted.status === 'failed' ? 'ekyc_attempts_exceeded' : 'ekyc_invalid_otp');
      }
      const [done] = await db
        .update(ekycSandboxTxns)
        .set({ status: 'verified' })
        .where(and(eq(ekycSandboxTxns.txnId, txnId), eq(ekycSandboxTxns.status, 'pending')))
        .returning({ txnId: ekycSandboxTxns.txnId });
      // Used already (a double submit): an OTP works once.
      if (!done) throw new EkycError('ekyc_otp_expired');
      return kycOf(resident);
    },
  };
}

function kycOf(r: SandboxResident): EkycResult {
  return { name: r.name, nameHi: r.nameHi, dob: r.dob, gender: r.gender, address: r.address, photo: sandboxPhoto(r.aadhaar), refId: `SBX-KYC-${randomUUID()}` };
}

/**
 * A tiny generated PNG (32 × 32, one flat colour from the number): something for the UI to show
 * where UIDAI returns the resident's photo. Not a face, not biometric.
 */
export function sandboxPhoto(seed: string): Buffer {
  const size = 32;
  const h = createHmac('sha256', 'sandbox-photo').update(seed).digest();
  const [r, g, b] = [96 + (h[0]! % 128), 96 + (h[1]! % 128), 96 + (h[2]! % 128)];
  const row = Buffer.alloc(1 + size * 3);
  for (let x = 0; x < size; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
