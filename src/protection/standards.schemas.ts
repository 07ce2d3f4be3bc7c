import { z } from 'zod';
import { Id, MoneyInput, MoneyOutput, MonthString, RegionCode, Timestamp } from '../http/schemas.js';
import { regionName } from '../regions/divisions.js';

// The basic-living standards (protection.md §8) as an admin writes them and everyone reads them.

export const ProtectionStandardBody = z
  .object({
    effectiveFrom: MonthString.meta({ description: 'The first month it applies' }),
    regionCode: RegionCode.refine((code) => regionName(code) !== null, 'a county-level code of the division table (行政区划代码)')
      .nullable()
      .default(null)
      .meta({ description: 'Null: the default of every region without its own' }),
    orphanInstitutionMonthly: MoneyInput.meta({ description: 'An orphan (or hivAffected child) in an institution (机构养育), a month' }),
    orphanScatteredMonthly: MoneyInput.meta({ description: 'An orphan (or hivAffected child) living scattered (散居), a month' }),
    deFactoUnsupportedMonthly: MoneyInput.optional().meta({ description: 'A de facto unsupported child (事实无人抚养), a month; default: orphanScatteredMonthly' }),
  })
  .strict();
export type ProtectionStandardBody = z.infer<typeof ProtectionStandardBody>;

export const ProtectionStandardSchema = z.object({
  id: Id,
  effectiveFrom: z.string(),
  regionCode: z.string().nullable(),
  orphanInstitutionMonthly: MoneyOutput,
  orphanScatteredMonthly: MoneyOutput,
  deFactoUnsupportedMonthly: MoneyOutput,
  createdAt: Timestamp,
});
