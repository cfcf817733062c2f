// Bills, payments, worker credits and pay dates (issue 17): what other modules may use.
export { provideIfmis } from './payment.ifmis.ts';
