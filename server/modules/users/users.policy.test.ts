import { describe, expect, it } from 'vitest';
import type { Reach } from '../../platform/access/access.ts';
import { mayManageScope } from './users.policy.ts';

const reach = (r: Partial<Reach> & Pick<Reach, 'scopeKind' | 'scopeId'>): Reach => ({ departmentId: null, hodId: null, officeId: null, ...r });
const office = { departmentId: 7 };

describe('an admin manages only assignments whose scope lies inside their own', () => {
  it('state reaches every scope', () => {
    for (const k of ['state', 'department', 'hod', 'office'] as const)
      expect(mayManageScope(reach({ scopeKind: 'state', scopeId: 0 }), k, 3, office)).toBe(true);
  });
  it('a department reaches its department and its HODs, not the state nor another department', () => {
    const d = reach({ scopeKind: 'department', scopeId: 7, departmentId: 7 });
    expect(mayManageScope(d, 'department', 7, office)).toBe(true);
    expect(mayManageScope(d, 'hod', 3, office)).toBe(true);
    expect(mayManageScope(d, 'department', 8, office)).toBe(false);
    expect(mayManageScope(d, 'state', 0, office)).toBe(false);
  });
  it('a HOD reaches its own HOD scope only, never the department', () => {
    const h = reach({ scopeKind: 'hod', scopeId: 3, departmentId: 7, hodId: 3 });
    expect(mayManageScope(h, 'hod', 3, office)).toBe(true);
    expect(mayManageScope(h, 'hod', 4, office)).toBe(false);
    expect(mayManageScope(h, 'department', 7, office)).toBe(false);
  });
});
