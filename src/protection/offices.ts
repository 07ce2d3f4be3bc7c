import { REVIEW_ROUTE_OFFICES_ZH, type ReviewRoute } from '../domain/protectionVocabulary.js';
import type { RegionName } from '../regions/divisions.js';

// The offices a case's documents name (protection.md §4.6): a township's government (人民政府, or
// 办事处 for a 街道), and the county's offices by their route, after the county's name.

/** 达州市通川区; the code where the division table does not know it. */
export function countyTitle(county: RegionName | null, regionCode?: string): string {
  return county ? `${county.city ?? ''}${county.name}` : (regionCode ?? '');
}

/** 东城街道 → 东城街道办事处; 罗江镇 → 罗江镇人民政府. */
export function townshipOffice(townshipName: string): string {
  return townshipName.endsWith('街道') ? `${townshipName}办事处` : `${townshipName}人民政府`;
}

/** Who refused: the township's check, or a county office. */
export function refusingOffice(refusedBy: 'township' | ReviewRoute, county: RegionName | null, townshipName: string): string {
  if (refusedBy === 'township') return `${townshipOffice(townshipName)}（乡镇核查）`;
  return `${countyTitle(county)}${REVIEW_ROUTE_OFFICES_ZH[refusedBy]}`;
}

/** Who issues the letter: the township for its own refusal, else the county office that refused. */
export function issuingOffice(refusedBy: 'township' | ReviewRoute, county: RegionName | null, townshipName: string): string {
  if (refusedBy === 'township') return townshipOffice(townshipName);
  return `${countyTitle(county)}${REVIEW_ROUTE_OFFICES_ZH[refusedBy]}`;
}
