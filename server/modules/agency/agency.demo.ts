import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { users } from '../../platform/auth/auth.table.ts';
import { districts } from '../org/org.table.ts';
import { agencies, agencyStatusEvents } from './agency.table.ts';

/**
 * Demo agencies (ids 1–3 on a fresh database; the demo `agency_admin` login holds agency 1).
 * GSTINs carry the real check character; PANs' fourth letter matches the holder type.
 * 1 verified (licence to 31 Mar 2027), 2 pending with a licence expiring in December 2026 (shows
 * the expiry alert), 3 blacklisted by an order (shows on its contracts).
 */
export async function seedAgencyDemo(tx: DbOrTx, now: Date): Promise<void> {
  const [bhopal] = await tx.select({ id: districts.id }).from(districts).where(eq(districts.nameEn, 'Bhopal'));
  const [indore] = await tx.select({ id: districts.id }).from(districts).where(eq(districts.nameEn, 'Indore'));
  const bhopalId = bhopal?.id ?? 1;
  const indoreId = indore?.id ?? bhopalId;
  // The history names who decided: the Bhopal department manager verified, Finance blacklisted —
  // never the agency itself (issue 12.6: the demo showed the agency verifying itself).
  const [verifier] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'dm_bhopal'));
  const [finance] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'finance_admin'));
  const verifiedBy = verifier?.id ?? null;
  const blacklistedBy = finance?.id ?? verifiedBy;
  const rows = await tx
    .insert(agencies)
    .values([
      {
        legalName: 'Narmada Manpower Services Pvt. Ltd.',
        type: 'private_company',
        pan: 'AABCN1234F',
        gstin: '23AABCN1234F1Z4',
        epfoCode: 'MPBPL0012345000',
        esicCode: '18000123450001001',
        licenceNo: 'CLRA/BPL/2024/0187',
        licenceWorkmen: 500,
        licenceValidTo: '2027-03-31',
        address: '14, Zone-II, M.P. Nagar, Bhopal 462011',
        districtId: bhopalId,
        contactName: 'Narmada Prasad Tiwari',
        mobile: '9876500006',
        email: 'accounts@narmadamanpower.in',
        bankAccount: '30211456789',
        ifsc: 'SBIN0001308',
        status: 'verified',
        registeredVia: 'self',
        verifiedAt: now,
        verifiedBy,
      },
      {
        legalName: 'Shivam Facility Services',
        type: 'firm',
        pan: 'AAFFS5678K',
        gstin: '23AAFFS5678K1ZQ',
        epfoCode: 'MPIND0045678000',
        esicCode: '18000456780001002',
        licenceNo: 'CLRA/IND/2023/0542',
        licenceWorkmen: 120,
        licenceValidTo: '2026-12-15',
        address: '7, Vijay Nagar, Indore 452010',
        districtId: indoreId,
        contactName: 'Shivam Jain',
        mobile: '9876500106',
        email: 'office@shivamfacility.in',
        bankAccount: '50100234567812',
        ifsc: 'HDFC0000123',
        status: 'pending',
        registeredVia: 'self',
      },
      {
        legalName: 'Kshipra Security Agency',
        type: 'proprietor',
        pan: 'BKRPS4321M',
        gstin: '23BKRPS4321M1ZP',
        epfoCode: 'MPBPL0098765000',
        esicCode: '18000987650001003',
        licenceNo: 'CLRA/BPL/2022/0311',
        licenceWorkmen: 80,
        licenceValidTo: '2027-06-30',
        address: '22, Ashoka Garden, Bhopal 462023',
        districtId: bhopalId,
        contactName: 'Rakesh Sahu',
        mobile: '9876500206',
        email: 'kshipra.security@example.in',
        bankAccount: '1234567890123',
        ifsc: 'PUNB0123400',
        status: 'blacklisted',
        registeredVia: 'department',
        statusReason: 'Wages not paid to deployed guards for three months',
        statusOrderRef: 'GAD/2026/BL/17',
        statusFrom: '2026-08-01',
        statusTo: '2029-07-31',
        verifiedAt: now,
        verifiedBy,
      },
    ])
    .returning({ id: agencies.id, status: agencies.status });
  await tx.insert(agencyStatusEvents).values(
    rows.flatMap((r) => {
      const events: (typeof agencyStatusEvents.$inferInsert)[] = [{ agencyId: r.id, fromStatus: null, toStatus: 'pending', at: now }];
      if (r.status === 'verified') events.push({ agencyId: r.id, fromStatus: 'pending', toStatus: 'verified', byUser: verifiedBy, at: now });
      if (r.status === 'blacklisted') {
        events.push({ agencyId: r.id, fromStatus: 'pending', toStatus: 'verified', byUser: verifiedBy, at: now });
        events.push({
          agencyId: r.id,
          fromStatus: 'verified',
          toStatus: 'blacklisted',
          reason: 'Wages not paid to deployed guards for three months',
          orderRef: 'GAD/2026/BL/17',
          periodFrom: '2026-08-01',
          periodTo: '2029-07-31',
          byUser: blacklistedBy,
          at: now,
        });
      }
      return events;
    }),
  );
}
