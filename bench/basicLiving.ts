import type postgres from 'postgres';
import { newId } from '../src/db/ids.js';
import type { FieldCipher } from '../src/keys/fieldCipher.js';
import { sealProtection } from '../src/protection/caseSecrets.js';
import { chinaToday, copyRows, copySeededChildren, monthIndex, monthOf, provinceRollRun, seededName, timedInsertSelect } from './monthlyRoll.js';

// A province's basic-living roll of children in difficulty (protection.md §8): 20,000 recognised
// cases in 20 townships' villages, seeded by COPY, then over HTTP the roll of this month built and
// issued by another officer (no public notice), its summary PDF and both bank lists downloaded,
// while GET /me is probed 20 times a second. The baseline is one INSERT … SELECT of the same
// entries, on the same database.

const REGION = '511702';
/** The seeded default standard (migrations: 1000.00 in an institution, 600.00 scattered, 600.00 de facto unsupported). */
const DEFAULT_STANDARD_ID = '00000000-0000-7000-8000-000000000203';

/**
 * Seeds `count` recognised cases in `villages` villages of 20 townships, covered from two months
 * before `month` and verified today, each with its account sealed under the protection field
 * cipher: three months each to pay; every third de facto unsupported (scattered), the other
 * orphans, half of them in an institution. Returns the seconds of the COPY.
 */
export async function seedBasicLivingProvince(sql: postgres.Sql, cipher: FieldCipher, userId: string, count: number, villages: number, month: string): Promise<number> {
  const started = performance.now();
  const coverFrom = monthOf(monthIndex(month) - 2);
  const today = chinaToday();
  const now = new Date().toISOString();
  const people = Array.from({ length: count }, (_, index) => {
    const village = index % villages;
    const township = `${REGION}${String(100 + (village % 20)).padStart(3, '0')}`;
    return {
      childId: newId(),
      caseId: newId(),
      name: seededName(index),
      township,
      village: `${township}${String(Math.floor(village / 20)).padStart(3, '0')}`,
      categories: index % 3 === 0 ? 'de_facto_unsupported' : 'orphan',
      living: index % 3 !== 0 && index % 2 === 0 ? 'institution' : 'scattered',
    };
  });
  await copySeededChildren(sql, cipher, userId, people);
  // Sealed once: every case seals the same facts (the cipher's output is randomised, the plan only opens them).
  const phone = sealProtection(cipher, 'applicantPhone', '13800000000');
  const hivAffected = sealProtection(cipher, 'hivAffected', 'false');
  const parents = sealProtection(cipher, 'parents', JSON.stringify({ father: [{ situation: 'dead', since: '2020-01-01', until: null }], mother: [{ situation: 'dead', since: '2021-06-01', until: null }] }));
  await copyRows(
    sql,
    'protection_cases',
    [
      'id', 'number', 'child_id', 'region_code', 'township_code', 'village_code', 'status', 'received_on', 'received_by_user_id', 'via_village', 'applicant_name', 'applicant_relation',
      'applicant_phone_sealed', 'categories', 'schooling_support', 'left_behind', 'hiv_affected_sealed', 'parents_sealed', 'documents', 'bank_name', 'bank_account_name',
      'bank_account_number_sealed', 'recognised_on', 'recognised_by_user_id', 'cover_from', 'last_month', 'last_verified_on', 'created_at',
    ],
    (function* () {
      for (const [index, person] of people.entries()) {
        const account = sealProtection(cipher, 'bankAccountNumber', `621467${String(index).padStart(13, '0')}`);
        yield `${person.caseId},${REGION}-KJ-2024-${String(index + 1).padStart(5, '0')},${person.childId},${REGION},${person.township},${person.village},recognised,${coverFrom}-05,${userId},false,张大山,grandfather,${phone},{${person.categories}},false,false,${hivAffected},${parents},{户口簿},四川农信,张大山${index},${account},${coverFrom}-20,${userId},${coverFrom},2033-06,${today},${now}\n`;
      }
    })(),
  );
  for (const [table, column, value] of [
    ['protection_case_categories', 'categories', (person: (typeof people)[number]) => `{${person.categories}}`],
    ['protection_case_living', 'living_arrangement', (person: (typeof people)[number]) => person.living],
  ] as const) {
    await copyRows(
      sql,
      table,
      ['case_id', 'from_month', column, 'recorded_by_user_id', 'recorded_at'],
      (function* () {
        for (const person of people) yield `${person.caseId},${coverFrom},${value(person)},${userId},${now}\n`;
      })(),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await sql`analyze children, protection_cases, protection_case_categories, protection_case_living`;
  return seconds;
}

/**
 * The baseline: the same entries (every case's months from its cover to `month`, at the default
 * standard of its category and living arrangement, numbered as the roll numbers its transfers) in
 * one INSERT … SELECT into a table shaped like basic_living_entries; the seconds it took.
 */
export async function basicLivingInsertSelect(sql: postgres.Sql, month: string): Promise<number> {
  const rollId = newId();
  return timedInsertSelect(
    sql,
    'basic_living_entries',
    `
    insert into bench_entries (roll_id, transfer_no, case_id, child_id, month, tier, fund, standard_id, amount, live)
    select '${rollId}', numbered.transfer_no, numbered.id, numbered.child_id, to_char(m, 'YYYY-MM'), kind.tier, 'basic_living', s.id,
      case kind.tier when 'orphan_institution' then s.orphan_institution_monthly when 'orphan_scattered' then s.orphan_scattered_monthly else s.de_facto_unsupported_monthly end, true
    from (select p.*, row_number() over (order by p.township_code, p.village_code, c.name collate "C", p.id) as transfer_no
          from protection_cases p join children c on c.id = p.child_id where p.region_code = '${REGION}' and p.status = 'recognised') numbered
    cross join generate_series(to_date(numbered.cover_from, 'YYYY-MM'), to_date('${month}', 'YYYY-MM'), interval '1 month') m
    join protection_case_categories g on g.case_id = numbered.id
    join protection_case_living l on l.case_id = numbered.id
    cross join lateral (select case when 'de_facto_unsupported' = any(g.categories) then 'de_facto_unsupported'
      when l.living_arrangement = 'institution' then 'orphan_institution' else 'orphan_scattered' end as tier) kind
    join protection_standards s on s.id = '${DEFAULT_STANDARD_ID}'`,
  );
}

/**
 * One pair's measured run on a fresh database: seed, the baseline, an idle probe, then the roll of
 * this month built, issued by the other officer, its summary and bank lists downloaded, GET /me
 * probed throughout.
 */
export async function basicLivingRollPair(serverUrl: string, size: { cases: number; villages: number; idleMs: number }, log: (line: string) => void) {
  const month = chinaToday().slice(0, 7);
  return provinceRollRun(
    serverUrl,
    {
      databasePrefix: 'bench_basic_living',
      rollsPath: '/api/v1/protection/rolls',
      month,
      idleMs: size.idleMs,
      seed: (sql, cipher, builderId) => seedBasicLivingProvince(sql, cipher, builderId, size.cases, size.villages, month),
      baseline: (sql) => basicLivingInsertSelect(sql, month),
      describe: (roll) => `${roll.caseCount} cases, total ${roll.total}, ${roll.held.length} held`,
    },
    log,
  );
}
