/**
 * Aadhaar e-KYC seam (spec 04). Only the interface and the error vocabulary are laid down here;
 * the sandbox adapter arrives with the resources module. Error codes follow UIDAI's auth API
 * (e.g. 400 invalid OTP, 403 OTP expired, 940/941 consent, K-100 resident not found).
 */
export type EkycStartResult = { txnId: string; maskedMobile: string };
export type EkycResult = { name: string; dob: string; gender: 'M' | 'F' | 'T'; addressLine: string; last4: string; refId: string };
export type EkycAdapter = {
  startOtp(aadhaar: string, consentId: string): Promise<EkycStartResult>;
  verifyOtp(txnId: string, otp: string): Promise<EkycResult>;
};
