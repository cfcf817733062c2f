import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CALCULATOR_PER_MINUTE, ZCalculatorInput, ZCalculatorResult, ZCalculatorSkillLevels } from '../../../shared/contracts/calculator.ts';
import { zDate } from '../../../shared/contracts/common.ts';
import { ctxOf, type HttpDeps } from '../../platform/http/http.ts';
import { calculate, calculatorSkillLevels } from './rates.calculator.ts';

/**
 * The public cost calculator (no login). The platform has no general per-address limit for public
 * routes (the login and the sign-up OTP count their own attempts in the database), so these
 * routes carry their own: CALCULATOR_PER_MINUTE requests a minute per address (the address as
 * Fastify sees it: X-Forwarded-For only from the configured proxies), then 429 `rate_limited`.
 */
export const calculatorRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['calculator'];
    await app.register(rateLimit, { global: false });
    const config = { permission: 'public' as const, rateLimit: { max: CALCULATOR_PER_MINUTE, timeWindow: 60_000 } };

    app.post(
      '/api/v1/public/cost-calculator',
      {
        config,
        schema: {
          tags,
          summary: 'What workers cost under the heads in force (the invoice engine, no login)',
          body: ZCalculatorInput,
          response: { 200: ZCalculatorResult },
        },
      },
      async (req) => calculate(deps.db, ctxOf(req, deps), req.body),
    );

    app.get(
      '/api/v1/public/cost-calculator/skill-levels',
      {
        config,
        schema: { tags, querystring: z.strictObject({ on: zDate('search').optional() }), response: { 200: ZCalculatorSkillLevels } },
      },
      async (req) => calculatorSkillLevels(deps.db, ctxOf(req, deps), req.query.on),
    );
  };
