// One catalog per language, made of namespace files that server and web both import.
// Add a namespace: create `en/<ns>.json` and `hi/<ns>.json` with the same keys and list it here.
import enAuth from './en/auth.json' with { type: 'json' };
import enCommon from './en/common.json' with { type: 'json' };
import enErrors from './en/errors.json' with { type: 'json' };
import enValidation from './en/validation.json' with { type: 'json' };
import hiAuth from './hi/auth.json' with { type: 'json' };
import hiCommon from './hi/common.json' with { type: 'json' };
import hiErrors from './hi/errors.json' with { type: 'json' };
import hiValidation from './hi/validation.json' with { type: 'json' };
import enOrg from './en/org.json' with { type: 'json' };
import enUsers from './en/users.json' with { type: 'json' };
import enAudit from './en/audit.json' with { type: 'json' };
import hiOrg from './hi/org.json' with { type: 'json' };
import hiUsers from './hi/users.json' with { type: 'json' };
import hiAudit from './hi/audit.json' with { type: 'json' };
import enSanction from './en/sanction.json' with { type: 'json' };
import hiSanction from './hi/sanction.json' with { type: 'json' };
import enAgency from './en/agency.json' with { type: 'json' };
import hiAgency from './hi/agency.json' with { type: 'json' };
import enContract from './en/contract.json' with { type: 'json' };
import hiContract from './hi/contract.json' with { type: 'json' };
import enRates from './en/rates.json' with { type: 'json' };
import hiRates from './hi/rates.json' with { type: 'json' };

export const LOCALES = ['hi', 'en'] as const;
export type TLocale = (typeof LOCALES)[number];

export const resources = {
  en: { translation: { common: enCommon, errors: enErrors, validation: enValidation, auth: enAuth, org: enOrg, users: enUsers, audit: enAudit, sanction: enSanction, agency: enAgency, contract: enContract, rates: enRates } },
  hi: { translation: { common: hiCommon, errors: hiErrors, validation: hiValidation, auth: hiAuth, org: hiOrg, users: hiUsers, audit: hiAudit, sanction: hiSanction, agency: hiAgency, contract: hiContract, rates: hiRates } },
} as const;

export function isLocale(v: unknown): v is TLocale {
  return v === 'hi' || v === 'en';
}
