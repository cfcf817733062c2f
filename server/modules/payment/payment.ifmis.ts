import type { IfmisAdapter } from '../../platform/adapters/ifmis.ts';
import { ifmisSandbox } from '../../platform/adapters/ifmis.sandbox.ts';
import type { HttpDeps } from '../../platform/http/http.ts';

/**
 * Which IFMIS the bill goes to: the sandbox treasury until the real integration is configured;
 * `provideIfmis` replaces it (the real adapter, or a test double).
 */
let make: (deps: Pick<HttpDeps, 'db' | 'now'>) => IfmisAdapter = (deps) => ifmisSandbox(deps.db, deps.now);

export function provideIfmis(factory: (deps: Pick<HttpDeps, 'db' | 'now'>) => IfmisAdapter): void {
  make = factory;
}

export function ifmisFor(deps: Pick<HttpDeps, 'db' | 'now'>): IfmisAdapter {
  return make(deps);
}
