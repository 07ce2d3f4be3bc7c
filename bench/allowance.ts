import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import { newId } from '../src/db/ids.js';
import { createDatabase, credentialHeaders, freePort, ServiceProcess, type Credential } from '../test/reliability/service.js';
import { makeUser } from './batch.js';
import { p99, probe } from './responsiveness.js';
import { nextSeedIdNumber } from './seed.js';

// A province's care allowance roll: 30,000 beneficiaries in 3,000 villages, seeded by COPY, then
// over HTTP the roll of this month built, published (the notice PDF of every village downloaded),
// issued (the summary PDF and both bank lists downloaded), while GET /me is probed 20 times a
// second. The baseline is one INSERT … SELECT of the same entries, on the same database.

const REGION = '511702';
const DEFAULT_STANDARD_ID = '00000000-0000-7000-8000-0000000000a1';
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
const GIVEN = [...'小明红华军芳伟娜静丽强磊洋艳勇杰娟涛超霞平刚桂英秀兰敏燕玲丹玉萍建国志文斌宇浩凯鹏飞晨欣怡佳琪子涵梓轩雨萱一诺'];

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOf = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function copyRows(sql: postgres.Sql, table: string, columns: string[], rows: Iterable<string>) {
  const writable = await sql.unsafe(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`).writable();
  await pipeline(Readable.from(rows), writable);
}

/**
 * Seeds `count` approved beneficiaries in `villages` villages (by code; every tenth village shares
 * its name with another), accepted two months before `month` and verified today: three months each
 * to pay, one in ten on the nursing supplement. Returns the seconds of the COPY.
 */
export async function seedProvince(sql: postgres.Sql, userId: string, count: number, villages: number, month: string): Promise<number> {
  const started = performance.now();
  const acceptedMonth = monthOf(monthIndex(month) - 2);
  const today = chinaToday();
  const now = new Date().toISOString();
  const people = Array.from({ length: count }, (_, index) => ({
    childId: newId(),
    beneficiaryId: newId(),
    name: `${SURNAMES[index % SURNAMES.length]}${GIVEN[(index * 7) % GIVEN.length]}${GIVEN[(index * 13) % GIVEN.length]}`,
    village: index % villages,
    tier: index % 10 === 0 ? 'nursing_supplement' : 'care',
  }));
  await copyRows(
    sql,
    'children',
    ['id', 'id_number', 'name', 'region_code', 'category', 'certificate_no', 'birth_date', 'sex', 'guardian_name', 'guardian_relation', 'guardian_phone', 'registered_by_user_id'],
    (function* () {
      for (const person of people) {
        const idNumber = nextSeedIdNumber();
        yield `${person.childId},${idNumber},${person.name},${REGION},autism,${idNumber}62,2015-06-01,male,家长,mother,13900001111,${userId}\n`;
      }
    })(),
  );
  await copyRows(
    sql,
    'beneficiaries',
    ['id', 'child_id', 'region_code', 'status', 'accepted_on', 'accepted_by', 'community_name', 'community_code', 'bank', 'account_name', 'account_number', 'start_month', 'last_month', 'last_verified_on', 'enrolled_by_user_id', 'decided_by_user_id', 'decided_at', 'created_at'],
    (function* () {
      for (const [index, person] of people.entries()) {
        // Village names repeat every 300 villages, so that villages of one name are told apart by code.
        const villageName = `第${(person.village % 300) + 1}村`;
        const villageCode = `${REGION}${String(100 + Math.floor(person.village / 100)).padStart(3, '0')}${String(person.village % 1000).padStart(3, '0')}`;
        yield `${person.beneficiaryId},${person.childId},${REGION},active,${acceptedMonth}-05,街道办事处,${villageName},${villageCode},四川农信,家长${index},621467${String(index).padStart(13, '0')},${acceptedMonth},2033-06,${today},${userId},${userId},${now},${now}\n`;
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
  await sql.unsafe('create table bench_entries (like allowance_entries including defaults)');
  const rollId = newId();
  const started = performance.now();
  await sql.unsafe(`
    insert into bench_entries (roll_id, transfer_no, beneficiary_id, child_id, month, tier, fund, standard_id, amount, live)
    select '${rollId}', numbered.transfer_no, numbered.id, numbered.child_id, to_char(m, 'YYYY-MM'), t.tier,
      case t.tier when 'care' then 'county' else 'hardship' end, s.id,
      case t.tier when 'care' then s.care_monthly else s.nursing_supplement_monthly end, true
    from (select b.*, row_number() over (order by b.community_name collate "C", b.community_code, c.name collate "C", b.id) as transfer_no
          from beneficiaries b join children c on c.id = b.child_id where b.region_code = '${REGION}' and b.status = 'active') numbered
    cross join generate_series(to_date(numbered.start_month, 'YYYY-MM'), to_date('${month}', 'YYYY-MM'), interval '1 month') m
    join beneficiary_tiers t on t.beneficiary_id = numbered.id
    join allowance_standards s on s.id = '${DEFAULT_STANDARD_ID}'`);
  const seconds = (performance.now() - started) / 1000;
  await sql.unsafe('drop table bench_entries');
  return seconds;
}

async function call(baseUrl: string, credential: Credential, method: string, path: string, body?: unknown): Promise<{ json: any; bytes: number }> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { ...credentialHeaders(credential, method), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(1_800_000),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${bytes.toString('utf8').slice(0, 400)}`);
  const json = response.headers.get('content-type')?.includes('json') ? JSON.parse(bytes.toString('utf8')) : null;
  return { json, bytes: bytes.length };
}

export interface ProvinceRollRun {
  seconds: number;
  steps: Record<'build' | 'publish' | 'notice' | 'issue' | 'summary' | 'bankCsv' | 'bankXlsx', number>;
  entryCount: number;
  noticeBytes: number;
  p99Ms: number;
  idleP99Ms: number;
}

/**
 * One pair's measured run on a fresh database: seed, the baseline, an idle probe, then the roll of
 * this month built, published, its notice of every village drawn, issued, its summary and bank
 * lists downloaded, GET /me probed throughout.
 */
export async function provinceRollPair(serverUrl: string, size: { beneficiaries: number; villages: number; idleMs: number }, log: (line: string) => void) {
  const database = await createDatabase(serverUrl, 'bench_allowance');
  const service = new ServiceProcess(database.url, await freePort());
  await service.start();
  try {
    const month = chinaToday().slice(0, 7);
    const civil = await makeUser(service.baseUrl, { name: '民政', role: 'civil_affairs', regionCode: REGION });
    // A second civil affairs officer issues the roll the first builds (security.md §2).
    const issuer = await makeUser(service.baseUrl, { name: '民政复核', role: 'civil_affairs', regionCode: REGION });
    const watcher = await makeUser(service.baseUrl, { name: '审核', role: 'reviewer', regionCode: REGION });
    const seedSeconds = await seedProvince(database.sql, civil.id, size.beneficiaries, size.villages, month);
    const baseline = await entriesInsertSelect(database.sql, month);
    const idleP99Ms = p99(await probe(service.baseUrl, watcher.credential, new Promise((resolve) => setTimeout(resolve, size.idleMs))));
    const steps = { build: 0, publish: 0, notice: 0, issue: 0, summary: 0, bankCsv: 0, bankXlsx: 0 };
    let entryCount = 0;
    let noticeBytes = 0;
    const timed = async <T>(step: keyof typeof steps, work: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      const result = await work();
      steps[step] = (performance.now() - started) / 1000;
      return result;
    };
    const started = performance.now();
    const work = (async () => {
      const roll = (await timed('build', () => call(service.baseUrl, civil.credential, 'POST', '/api/v1/allowance/rolls', { month }))).json;
      entryCount = roll.entryCount;
      await timed('publish', () => call(service.baseUrl, civil.credential, 'POST', `/api/v1/allowance/rolls/${roll.id}/publish`, { from: new Date(Date.now() - 10 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10) }));
      noticeBytes = (await timed('notice', () => call(service.baseUrl, civil.credential, 'GET', `/api/v1/allowance/rolls/${roll.id}/notice.pdf`))).bytes;
      await timed('issue', () => call(service.baseUrl, issuer.credential, 'POST', `/api/v1/allowance/rolls/${roll.id}/issue`, {}));
      await timed('summary', () => call(service.baseUrl, civil.credential, 'GET', `/api/v1/allowance/rolls/${roll.id}/pdf`));
      await timed('bankCsv', () => call(service.baseUrl, civil.credential, 'GET', `/api/v1/allowance/rolls/${roll.id}/bank.csv`));
      await timed('bankXlsx', () => call(service.baseUrl, civil.credential, 'GET', `/api/v1/allowance/rolls/${roll.id}/bank.xlsx`));
    })();
    const p99Ms = p99(await probe(service.baseUrl, watcher.credential, work));
    await work;
    const run: ProvinceRollRun = { seconds: (performance.now() - started) / 1000, steps, entryCount, noticeBytes, p99Ms, idleP99Ms };
    log(
      `  COPY ${seedSeconds.toFixed(1)} s; INSERT … SELECT ${baseline.toFixed(2)} s; the roll ${run.seconds.toFixed(1)} s (${Object.entries(steps)
        .map(([step, seconds]) => `${step} ${seconds.toFixed(1)}`)
        .join(', ')}), ${entryCount} entries, notice ${(noticeBytes / 1024 / 1024).toFixed(1)} MB; GET /me p99 ${p99Ms.toFixed(1)} ms (idle ${idleP99Ms.toFixed(1)} ms)`,
    );
    return { run, baseline };
  } finally {
    await service.stop();
    await database.drop();
  }
}
