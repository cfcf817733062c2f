import { auditNav } from './features/audit/index.ts';
import { orgNav } from './features/org/index.ts';
import { usersNav } from './features/users/index.ts';
import { sanctionNav } from './features/sanction/index.ts';
import { agencyNav } from './features/agency/index.ts';
import { contractNav } from './features/contract/index.ts';
import { ratesNav } from './features/rates/index.ts';
import type { NavItem } from './lib/nav.ts';

/** The whole menu; each entry is shown only to roles that hold its permission. */
export const NAV: NavItem[] = [...usersNav, ...sanctionNav, ...agencyNav, ...contractNav, ...ratesNav, ...orgNav, ...auditNav];
