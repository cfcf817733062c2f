/** The help desk, shown in the footer and on the help page as mailto: / tel: links. */
export const HELP_EMAIL = 'eservices@mp.gov.in';
export const HELP_PHONE = '0755-2551000';
export const HELP_PHONE_TEL = '+917552551000';
