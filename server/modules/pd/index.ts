// Treasury personal-deposit accounts (spec 08): what other modules may use.
export { pdRoutes } from './pd.routes.ts';
