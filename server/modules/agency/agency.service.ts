// The agency use cases, one file per capability (issue 10: files a newcomer can hold in their
// head). This file gathers them for the routes and index.ts, which import `./agency.service.ts`.
//   agency.signup.ts   the public sign-up and a department's registration
//   agency.queries.ts  the list, one agency, "my agency", its documents
//   agency.self.ts     the agency admin's own documents and operators
//   agency.status.ts   status moves, contractability, the badge, licence alerts
//   agency.view.ts     what they share: an agency as its pages show it, its users and locale
export {
  type AgencyFiles,
  registerAgency,
  requestSignupOtp,
  SIGNUP_OTP_MAX_PER_HOUR,
  SIGNUP_OTP_MAX_PER_IP_HOUR,
  SIGNUP_OTP_MAX_TRIES,
  SIGNUP_OTP_TTL_MS,
  signup,
  signupDistricts,
} from './agency.signup.ts';
export { getAgency, getDocumentFile, listAgencies, listDocuments, myAgency } from './agency.queries.ts';
export { addOperator, assertOwnAgency, listOperators, removeOperator, uploadDocument } from './agency.self.ts';
export { agencyContractability, getAgencyStatusBadge, moveStatus, sendLicenceAlerts, type StatusBody } from './agency.status.ts';
