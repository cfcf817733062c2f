import { z } from 'zod';
import { ZPage, ZPageQuery } from './common.ts';

export const ZListQuery = ZPageQuery.extend({
  q: z.string().trim().max(100).optional(),
  sort: z.string().max(40).optional(),
  dir: z.enum(['asc', 'desc']).default('asc'),
});

export const ZDistrict = z.object({ id: z.number().int(), code: z.string(), nameEn: z.string(), nameHi: z.string(), active: z.boolean() });
export const ZDistrictPage = ZPage(ZDistrict);
