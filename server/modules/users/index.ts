import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { roleAssignments, users } from '../../platform/auth/auth.table.ts';
// Office users (manual section 7).
export { usersRoutes } from './users.routes.ts';
// Credentials for users other modules create (agencies): a login id and a temporary password.
export { newUsername, temporaryPassword } from './users.service.ts';

// officeManagers(db, officeId): the department managers of an office (active users in active
// assignments) with mobile, language and official e-mail — whom the contract module alerts.
export async function officeManagers(db: DbOrTx, officeId: number) {
  return db
    .select({ userId: users.id, mobile: users.mobile, locale: users.locale, officialEmail: roleAssignments.officialEmail })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.role, 'department_manager'), eq(roleAssignments.scopeKind, 'office'), eq(roleAssignments.scopeId, officeId), eq(roleAssignments.active, true), eq(users.status, 'active')))
    .orderBy(asc(users.id));
}
