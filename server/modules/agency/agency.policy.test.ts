import { describe, expect, it } from 'vitest';
import type { Reach } from '../../platform/access/access.ts';
import { mayMoveStatus, movesFor, statusSeenBy } from './agency.policy.ts';

/** Issue 11 finding 7: who may act on an agency's standing, and what each side sees. */
const finance: Reach = { scopeKind: 'state', scopeId: 0, departmentId: null, hodId: null, officeId: null };
const deptA: Reach = { scopeKind: 'office', scopeId: 79, departmentId: 1, hodId: 2, officeId: 79 };
const deptB: Reach = { scopeKind: 'office', scopeId: 90, departmentId: 5, hodId: 6, officeId: 90 };
const tiedToA = { departmentIds: [1] };

describe('agency policy', () => {
  it('lets Finance and the answerable department verify; not another department', () => {
    const facts = { status: 'pending' as const, statusDepartmentId: null, oversight: tiedToA };
    expect(mayMoveStatus(finance, 'finance_admin', 'verify', facts)).toBe(true);
    expect(mayMoveStatus(deptA, 'department_manager', 'verify', facts)).toBe(true);
    expect(mayMoveStatus(deptB, 'department_manager', 'verify', facts)).toBe(false);
    expect(movesFor(deptB, 'department_manager', facts)).toEqual([]);
    expect(movesFor(deptA, 'department_manager', facts)).toEqual(['verify', 'reject']);
  });

  it('keeps statewide blacklisting and reinstating for Finance', () => {
    const verified = { status: 'verified' as const, statusDepartmentId: null, oversight: tiedToA };
    expect(movesFor(deptA, 'department_manager', verified)).toEqual(['suspend']);
    expect(movesFor(finance, 'finance_admin', verified)).toEqual(['suspend', 'blacklist']);
    const suspendedByA = { status: 'suspended' as const, statusDepartmentId: 1, oversight: tiedToA };
    expect(movesFor(deptA, 'department_manager', suspendedByA)).toEqual([]);
    expect(movesFor(finance, 'finance_admin', suspendedByA)).toEqual(['blacklist', 'reinstate']);
  });

  it("shows a department's suspension to that department, Finance and the agency; others see verified", () => {
    expect(statusSeenBy(deptA, 'suspended', 1)).toBe('suspended');
    expect(statusSeenBy(deptB, 'suspended', 1)).toBe('verified');
    expect(statusSeenBy(finance, 'suspended', 1)).toBe('suspended');
    expect(statusSeenBy({ scopeKind: 'agency', departmentId: null }, 'suspended', 1)).toBe('suspended');
    expect(statusSeenBy(deptB, 'suspended', null)).toBe('suspended');
    expect(statusSeenBy(deptB, 'blacklisted', null)).toBe('blacklisted');
    // Another department (tied to the agency too) may not stack a second suspension on it.
    expect(mayMoveStatus(deptB, 'department_manager', 'suspend', { status: 'suspended', statusDepartmentId: 1, oversight: { departmentIds: [1, 5] } })).toBe(
      false,
    );
  });
});
