import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import { createDatabase, credentialHeaders, freePort, ServiceProcess, serviceCipher, type Credential } from '../test/reliability/service.js';
import { sealChild } from '../src/children/childSecrets.js';
import type { FieldCipher } from '../src/keys/fieldCipher.js';
import { makeUser } from './batch.js';
import { p99, probe } from './responsiveness.js';
import { nextSeedIdNumber } from './seed.js';

// A province's monthly roll on the roll kit (src/monthlyRoll/), measured the same way for every
// programme on it (the care allowance: bench/allowance.ts; the basic-living allowance:
// bench/basicLiving.ts): a fresh database seeded by COPY, the baseline (one INSERT … SELECT of the
// same entries), an idle probe, then the roll's HTTP steps, GET /me probed 20 times a second
// throughout.

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
const GIVEN = [...'小明红华军芳伟娜静丽强磊洋艳勇杰娟涛超霞平刚桂英秀兰敏燕玲丹玉萍建国志文斌宇浩凯鹏飞晨欣怡佳琪子涵梓轩雨萱一诺'];

/** The `index`-th seeded child's name: names repeat, as they do in a province. */
export const seededName = (index: number) => `${SURNAMES[index % SURNAMES.length]}${GIVEN[(index * 7) % GIVEN.length]}${GIVEN[(index * 13) % GIVEN.length]}`;

export const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
export const monthOf = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
export const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export async function copyRows(sql: postgres.Sql, table: string, columns: string[], rows: Iterable<string>) {
  const writable = await sql.unsafe(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`).writable();
  await pipeline(Readable.from(rows), writable);
}

/** Children of the region, born 2015-06-01 (with a disability category: the care allowance's; a child in difficulty may have one too), sealed as the service seals them (security.md §5). */
export async function copySeededChildren(sql: postgres.Sql, cipher: FieldCipher, userId: string, people: readonly { childId: string; name: string }[]) {
  await copyRows(
    sql,
    'children',
    ['id', 'id_number_sealed', 'id_number_lookup', 'id_number_tail_lookup', 'id_number_masked', 'name', 'region_code', 'category', 'certificate_no_sealed', 'birth_date', 'sex', 'guardian_name', 'guardian_relation', 'guardian_phone_sealed', 'registered_by_user_id'],
    (function* () {
      for (const person of people) {
        const idNumber = nextSeedIdNumber();
        const sealed = sealChild(cipher, { idNumber, guardianPhone: '13900001111', certificateNo: `${idNumber}62` });
        yield `${person.childId},${sealed.idNumberSealed},${sealed.idNumberLookup},${sealed.idNumberTailLookup},${sealed.idNumberMasked},${person.name},511702,autism,${sealed.certificateNoSealed},2015-06-01,male,家长,mother,${sealed.guardianPhoneSealed},${userId}\n`;
      }
    })(),
  );
}

/** The seconds of one INSERT … SELECT (`insert`, naming the table bench_entries) into a table shaped like `likeTable`. */
export async function timedInsertSelect(sql: postgres.Sql, likeTable: string, insert: string): Promise<number> {
  await sql.unsafe(`create table bench_entries (like ${likeTable} including defaults)`);
  const started = performance.now();
  await sql.unsafe(insert);
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

/** Times one request of a roll's run under `name`, as the builder (the first civil affairs officer) or the issuer (the second). */
export type RollStep = (name: string, by: 'builder' | 'issuer', method: string, path: string, body?: unknown) => Promise<{ json: any; bytes: number }>;

export interface ProvinceRollRun {
  seconds: number;
  steps: Record<string, number>;
  entryCount: number;
  p99Ms: number;
  idleP99Ms: number;
}

/**
 * One pair's measured run on a fresh database: `seed` (with the builder's id; its seconds), the
 * baseline, an idle probe, then over HTTP the roll of `month` built at `rollsPath`, what the
 * programme does before issue (`beforeIssue`: the allowance's public notice; a detail to log),
 * issued by the other officer, its summary PDF and both bank lists downloaded; GET /me probed
 * throughout.
 */
export async function provinceRollRun(
  serverUrl: string,
  options: {
    databasePrefix: string;
    rollsPath: string;
    month: string;
    idleMs: number;
    seed: (sql: postgres.Sql, cipher: FieldCipher, builderId: string) => Promise<number>;
    baseline: (sql: postgres.Sql) => Promise<number>;
    beforeIssue?: (step: RollStep, rollId: string) => Promise<string>;
    /** What to log of the roll as built. */
    describe: (roll: any) => string;
  },
  log: (line: string) => void,
) {
  const database = await createDatabase(serverUrl, options.databasePrefix);
  const service = new ServiceProcess(database.url, await freePort());
  await service.start();
  try {
    const builder = await makeUser(service.baseUrl, { name: '民政', role: 'civil_affairs', regionCode: '511702' });
    // A second civil affairs officer issues the roll the first builds (security.md §2).
    const issuer = await makeUser(service.baseUrl, { name: '民政复核', role: 'civil_affairs', regionCode: '511702' });
    const watcher = await makeUser(service.baseUrl, { name: '审核', role: 'reviewer', regionCode: '511702' });
    const seedSeconds = await options.seed(database.sql, serviceCipher(database.url), builder.id);
    const baseline = await options.baseline(database.sql);
    const idleP99Ms = p99(await probe(service.baseUrl, watcher.credential, new Promise((resolve) => setTimeout(resolve, options.idleMs))));
    const steps: Record<string, number> = {};
    const started = performance.now();
    const step: RollStep = async (name, by, method, path, body) => {
      const stepStarted = performance.now();
      const answer = await call(service.baseUrl, (by === 'builder' ? builder : issuer).credential, method, path, body);
      steps[name] = (performance.now() - stepStarted) / 1000;
      return answer;
    };
    const work = (async () => {
      const rolls = options.rollsPath;
      const roll = (await step('build', 'builder', 'POST', rolls, { month: options.month })).json;
      const details = [options.describe(roll), ...(options.beforeIssue ? [await options.beforeIssue(step, roll.id)] : [])];
      await step('issue', 'issuer', 'POST', `${rolls}/${roll.id}/issue`, {});
      await step('summary', 'builder', 'GET', `${rolls}/${roll.id}/pdf`);
      await step('bankCsv', 'builder', 'GET', `${rolls}/${roll.id}/bank.csv`);
      await step('bankXlsx', 'builder', 'GET', `${rolls}/${roll.id}/bank.xlsx`);
      return { entryCount: roll.entryCount as number, detail: details.join(', ') };
    })();
    const p99Ms = p99(await probe(service.baseUrl, watcher.credential, work));
    const { entryCount, detail } = await work;
    const run: ProvinceRollRun = { seconds: (performance.now() - started) / 1000, steps, entryCount, p99Ms, idleP99Ms };
    log(
      `  COPY ${seedSeconds.toFixed(1)} s; INSERT … SELECT ${baseline.toFixed(2)} s; the roll ${run.seconds.toFixed(1)} s (${Object.entries(steps)
        .map(([step, seconds]) => `${step} ${seconds.toFixed(1)}`)
        .join(', ')}), ${entryCount} entries, ${detail}; GET /me p99 ${p99Ms.toFixed(1)} ms (idle ${idleP99Ms.toFixed(1)} ms)`,
    );
    return { run, baseline };
  } finally {
    await service.stop();
    await database.drop();
  }
}
