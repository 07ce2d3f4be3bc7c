import type postgres from 'postgres';
import { newId } from '../src/db/ids.js';
import { sealAllowanceAccount } from '../src/allowance/allowanceAccounts.js';
import type { FieldCipher } from '../src/keys/fieldCipher.js';
import { chinaToday, copyRows, copySeededChildren, monthIndex, monthOf, provinceRollRun, seededName, timedInsertSelect } from './monthlyRoll.js';

// A province's care allowance roll: 30,000 beneficiaries in 3,000 villages, seeded by COPY, then
// over HTTP the roll of this month built, published (the notice PDF of every village downloaded),
// issued (the summary PDF and both bank lists downloaded), while GET /me is probed 20 times a
// second. The baseline is one INSERT … SELECT of the same entries, on the same database.

const REGION = '511702';
const DEFAULT_STANDARD_ID = '00000000-0000-7000-8000-0000000000a1';

/**
 * Seeds `count` approved beneficiaries in `villages` villages (by code; every tenth village shares
 * its name with another), accepted two months before `month` and verified today: three months each
 * to pay, one in ten on the nursing supplement. Returns the seconds of the COPY.
 */
export async function seedProvince(sql: postgres.Sql, cipher: FieldCipher, userId: string, count: number, villages: number, month: string): Promise<number> {
  const started = performance.now();
  const acceptedMonth = monthOf(monthIndex(month) - 2);
  const today = chinaToday();
  const now = new Date().toISOString();
  const people = Array.from({ length: count }, (_, index) => ({
    childId: newId(),
    beneficiaryId: newId(),
    name: seededName(index),
    village: index % villages,
    tier: index % 10 === 0 ? 'nursing_supplement' : 'care',
  }));
  await copySeededChildren(sql, cipher, userId, people);
  await copyRows(
    sql,
    'beneficiaries',
    ['id', 'child_id', 'region_code', 'status', 'accepted_on', 'accepted_by', 'community_name', 'community_code', 'bank', 'account_name', 'account_number_sealed', 'start_month', 'last_month', 'last_verified_on', 'enrolled_by_user_id', 'decided_by_user_id', 'decided_at', 'created_at'],
    (function* () {
      for (const [index, person] of people.entries()) {
        // Village names repeat every 300 villages, so that villages of one name are told apart by code.
        const villageName = `第${(person.village % 300) + 1}村`;
        const villageCode = `${REGION}${String(100 + Math.floor(person.village / 100)).padStart(3, '0')}${String(person.village % 1000).padStart(3, '0')}`;
        yield `${person.beneficiaryId},${person.childId},${REGION},active,${acceptedMonth}-05,街道办事处,${villageName},${villageCode},四川农信,家长${index},${sealAllowanceAccount(cipher, `621467${String(index).padStart(13, '0')}`)},${acceptedMonth},2033-06,${today},${userId},${userId},${now},${now}\n`;
      }
    })(),
  );
  await copyRows(
    sql,
    'beneficiary_tiers',
    ['beneficiary_id', 'from_month', 'tier', 'created_at'],
    (function* () {
      for (const person of people) yield `${person.beneficiaryId},${acceptedMonth},${person.tier},${now}\n`;
    })(),
  );
  const seconds = (performance.now() - started) / 1000;
  await sql`analyze children, beneficiaries, beneficiary_tiers`;
  return seconds;
}

/**
 * The baseline: the same entries (every beneficiary's months from its start to `month`, at the
 * default standard and its tier, numbered as the roll numbers its transfers) in one INSERT … SELECT
 * into a table shaped like allowance_entries; the seconds it took.
 */
export async function entriesInsertSelect(sql: postgres.Sql, month: string): Promise<number> {
  const rollId = newId();
  return timedInsertSelect(
    sql,
    'allowance_entries',
    `
    insert into bench_entries (roll_id, transfer_no, beneficiary_id, child_id, month, tier, fund, standard_id, amount, live)
    select '${rollId}', numbered.transfer_no, numbered.id, numbered.child_id, to_char(m, 'YYYY-MM'), t.tier,
      case t.tier when 'care' then 'county' else 'hardship' end, s.id,
      case t.tier when 'care' then s.care_monthly else s.nursing_supplement_monthly end, true
    from (select b.*, row_number() over (order by b.community_name collate "C", b.community_code, c.name collate "C", b.id) as transfer_no
          from beneficiaries b join children c on c.id = b.child_id where b.region_code = '${REGION}' and b.status = 'active') numbered
    cross join generate_series(to_date(numbered.start_month, 'YYYY-MM'), to_date('${month}', 'YYYY-MM'), interval '1 month') m
    join beneficiary_tiers t on t.beneficiary_id = numbered.id
    join allowance_standards s on s.id = '${DEFAULT_STANDARD_ID}'`,
  );
}

/**
 * One pair's measured run on a fresh database: seed, the baseline, an idle probe, then the roll of
 * this month built, published, its notice of every village drawn, issued, its summary and bank
 * lists downloaded, GET /me probed throughout.
 */
export async function provinceRollPair(serverUrl: string, size: { beneficiaries: number; villages: number; idleMs: number }, log: (line: string) => void) {
  const month = chinaToday().slice(0, 7);
  let noticeBytes = 0;
  const { run, baseline } = await provinceRollRun(
    serverUrl,
    {
      databasePrefix: 'bench_allowance',
      rollsPath: '/api/v1/allowance/rolls',
      month,
      idleMs: size.idleMs,
      seed: (sql, cipher, builderId) => seedProvince(sql, cipher, builderId, size.beneficiaries, size.villages, month),
      baseline: (sql) => entriesInsertSelect(sql, month),
      async beforeIssue(step, rollId) {
        await step('publish', 'builder', 'POST', `/api/v1/allowance/rolls/${rollId}/publish`, { from: new Date(Date.now() - 10 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10) });
        noticeBytes = (await step('notice', 'builder', 'GET', `/api/v1/allowance/rolls/${rollId}/notice.pdf`)).bytes;
        return `notice ${(noticeBytes / 1024 / 1024).toFixed(1)} MB`;
      },
      describe: (roll) => `${roll.beneficiaryCount} beneficiaries`,
    },
    log,
  );
  return { run: { ...run, noticeBytes }, baseline };
}
