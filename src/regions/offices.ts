import type { Executor } from '../db/client.js';
import { regionName } from './divisions.js';
import { findRegionSettings } from './regions.repository.js';

// The office a document names as its issuer (出具单位), from the region's settings: the county's
// 残联 for batch statements and reconciliation reports, its 民政局 for the care allowance's
// documents, its 财政局 where finance signs. Where the admin has not named one, the document names
// the region itself (通川区（511702）), never an office that may not be the right one.

export type Office = 'disabledPersonsFederation' | 'civilAffairs' | 'finance';

export type OfficeNames = Record<Office, string>;

export async function officeNames(db: Executor, regionCode: string): Promise<OfficeNames> {
  const stored = ((await findRegionSettings(db, regionCode))?.authorities ?? {}) as Partial<Record<Office, string | null>>;
  const division = regionName(regionCode);
  const region = division ? `${division.name}（${regionCode}）` : `行政区划 ${regionCode}`;
  return {
    disabledPersonsFederation: stored.disabledPersonsFederation ?? region,
    civilAffairs: stored.civilAffairs ?? region,
    finance: stored.finance ?? region,
  };
}

/** The office's name as the admin set it in the region's settings, or null where none is set. */
export async function configuredOfficeName(db: Executor, regionCode: string, office: Office): Promise<string | null> {
  const stored = ((await findRegionSettings(db, regionCode))?.authorities ?? {}) as Partial<Record<Office, string | null>>;
  return stored[office] ?? null;
}
