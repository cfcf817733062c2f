// Office users (manual section 7).
export { usersRoutes } from './users.routes.ts';
// Credentials for users other modules create (agencies): a login id and a temporary password.
export { newUsername, temporaryPassword } from './users.service.ts';
// Accounts and role assignments, created and ended one way for every module (in the caller's transaction).
export type { AssignmentAudit, NewAssignment, NewUser } from './users.accounts.ts';
export {
  createUserWithAssignment,
  endAssignment,
  listScopeMembers,
  lockAssignment,
  lockMobile,
  mobileRegistered,
  otherActiveAssignments,
  setUserStatus,
  usernameTaken,
} from './users.accounts.ts';
// userNameOf(idColumn): the display name of a user, as a SQL expression for other modules' lists (read only).
// officeManagers(db, officeId): the department managers of an office (active users in active
// assignments) with mobile, language and official e-mail — whom the contract module alerts.
export { officeManagers, userNameOf } from './users.repo.ts';
