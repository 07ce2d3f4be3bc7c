import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { startPostgres } from '../test/support/postgresServer.js';
import { createDatabase, credentialHeaders, freePort, ServiceProcess, serviceCipher, type Credential } from '../test/reliability/service.js';
import { provinceRollPair } from './allowance.js';
import { basicLivingRollPair } from './basicLiving.js';
import type { ProvinceRollRun } from './monthlyRoll.js';
import { buildAndIssue, makeInstitution, makeUser, seedApprovedClaims } from './batch.js';
import { engineBench } from './engine.js';
import { prepareHttpBench } from './http.js';
import { machine, measureCpu, median, medianSplit, round, withConcurrency, type CpuSplit, type Figure } from './lib.js';
import { bombUpload, eventLoopDuringBatch } from './responsiveness.js';
import { seedReferredChildren } from './seed.js';

// npm run bench [-- --full | --smoke]: every benchmark with its baseline measured in this same run,
// interleaved: baseline and measured figure alternate (A B A B …, PAIRS pairs, the same warm-up for
// both), and a ratio is the median of the pairs' ratios, reported with their spread (min–max), so
// that whatever else the machine does moves both sides of a pair alike. Written to
// bench/results/latest.json and latest.md. --smoke runs every benchmark once at a small size and
// writes nothing: .ci/run uses it so that a change to the schema or the API cannot leave the
// benchmarks broken unnoticed.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const full = process.argv.includes('--full');
const smoke = process.argv.includes('--smoke');
const RUNS = smoke ? 1 : 3;
/** Baseline and measured runs alternate this many times for every ratio. */
const PAIRS = smoke ? 1 : 5;
/** The sizes of a real run, and of a smoke run. */
const SIZE = smoke
  ? { engineClaims: 1000, pdfLines: 200, pdfBigLines: 2000, httpClaimsPerRun: 50, httpWarmUpClaims: 20, batchClaims: 1000, cycleClaims: 1000, loopLines: 500, loopIdleMs: 1000, provinceBeneficiaries: 300, provinceVillages: 30, provinceCases: 200, provinceCaseVillages: 40 }
  : {
      engineClaims: 1_000_000,
      pdfLines: 10_000,
      pdfBigLines: 100_000,
      httpClaimsPerRun: 5000,
      httpWarmUpClaims: 1000,
      batchClaims: 100_000,
      cycleClaims: full ? 500_000 : 50_000,
      loopLines: 30_000,
      loopIdleMs: 10_000,
      provinceBeneficiaries: 30_000,
      provinceVillages: 3_000,
      provinceCases: 20_000,
      provinceCaseVillages: 2_000,
    };
const only = process.argv.find((argument) => argument.startsWith('--only='))?.slice(7).split(',');
const wanted = (key: string) => !only || only.includes(key);
const figures: Record<string, Figure> = {};

function log(message: string) {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

/** The median seconds of each step of a roll's runs, as the notes print them. */
function stepMedians(pairs: readonly { run: ProvinceRollRun }[]): string[] {
  return Object.keys(pairs[0]!.run.steps).map((step) => `${step} ${round(median(pairs.map((pair) => pair.run.steps[step] ?? 0)), 1)} s`);
}

/** A figure from pairs run back to back: the value and baseline are medians; the ratio is the median of the pairs' ratios. */
function figure(key: string, unit: string, runs: number[], baselineRuns: number[], note: string, ratio: (value: number, baseline: number) => number) {
  const value = median(runs);
  const baseline = baselineRuns.length ? median(baselineRuns) : null;
  const pairRatios = baselineRuns.length === runs.length ? runs.map((run, index) => round(ratio(run, baselineRuns[index]!))) : [];
  figures[key] = {
    value: round(value),
    baseline: baseline === null ? null : round(baseline),
    ratio: pairRatios.length ? round(median(pairRatios)) : baseline === null ? null : round(ratio(value, baseline)),
    unit,
    runs: runs.map((run) => round(run)),
    baselineRuns: baselineRuns.map((run) => round(run)),
    pairRatios,
    note,
  };
  log(`${key}: ${JSON.stringify(figures[key])}`);
}

function pdfWorker(kind: 'service' | 'bare', lines: number): { seconds: number; maxRssKiB: number } {
  const output = execFileSync(process.execPath, ['--import', 'tsx', 'bench/pdfWorker.ts', kind, String(lines)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(output.trim().split('\n').at(-1)!);
}

async function main() {
  log('building the service');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  log('starting PostgreSQL');
  const server = await startPostgres();
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  const [{ server_version: postgresVersion }] = (await admin`show server_version`) as unknown as [{ server_version: string }];
  await admin.end();
  try {
    if (wanted('engineSettlementsPerSec')) {
      log('engine');
      const bench = engineBench(SIZE.engineClaims);
      const engineRuns: number[] = [];
      const loopRuns: number[] = [];
      for (let run = 0; run < PAIRS; run++) {
        loopRuns.push(bench.baselineRun());
        engineRuns.push(bench.engineRun());
      }
      figure('engineSettlementsPerSec', 'settlements/s', engineRuns, loopRuns, `${bench.count} pre-parsed claims; baseline: the same arithmetic in a bare decimal.js loop`, (value, baseline) => value / baseline);
    }

    if (wanted('pdf10kLinesSeconds') || wanted('pdfPeakRssRatio')) {
      log('PDF');
      // Each pair: the bare pdfkit table, then the service's document, one process each.
      const service: { seconds: number; maxRssKiB: number }[] = [];
      const bare: { seconds: number; maxRssKiB: number }[] = [];
      for (let pair = 0; pair < PAIRS; pair++) {
        bare.push(pdfWorker('bare', SIZE.pdfLines));
        service.push(pdfWorker('service', SIZE.pdfLines));
      }
      figure('pdf10kLinesSeconds', 's', service.map((run) => run.seconds), bare.map((run) => run.seconds), 'the batch PDF of 10,000 lines; baseline: a bare pdfkit table of the same cells and font', (value, baseline) => value / baseline);
      const big = Array.from({ length: RUNS }, () => pdfWorker('service', SIZE.pdfBigLines));
      figures.pdfPeakRssRatio = {
        value: round(median(big.map((run) => run.maxRssKiB)) / median(service.map((run) => run.maxRssKiB))),
        baseline: null,
        ratio: round(median(big.map((run) => run.maxRssKiB)) / median(service.map((run) => run.maxRssKiB))),
        unit: 'peak RSS 100k lines ÷ peak RSS 10k lines',
        runs: big.map((run) => run.maxRssKiB),
        baselineRuns: service.map((run) => run.maxRssKiB),
        note: 'each rendering in a process of its own; runs in KiB',
      };
      log(`pdfPeakRssRatio: ${JSON.stringify(figures.pdfPeakRssRatio)}`);
    }

    if (wanted('submitClaimsPerSec') || wanted('approveClaimsPerSec')) {
      log('HTTP submit and approve');
      const database = await createDatabase(server.url, 'bench_http');
      const perRun = SIZE.httpClaimsPerRun;
      const bench = await prepareHttpBench(database.url, perRun, PAIRS, SIZE.httpWarmUpClaims);
      // One warm-up run for each side (V8's optimisation of the service, both pools' connections,
      // the tables' first pages), then pairs whose runs each start from freshly analysed tables.
      async function pairs(key: string, baselineRun: (count: number) => Promise<number>, measuredRun: (count: number) => Promise<number>) {
        await baselineRun(SIZE.httpWarmUpClaims);
        await measuredRun(SIZE.httpWarmUpClaims);
        const runs: number[] = [];
        const baselineRuns: number[] = [];
        const cpu: CpuSplit[] = [];
        const baselineCpu: CpuSplit[] = [];
        for (let pair = 0; pair < PAIRS; pair++) {
          await bench.analyze();
          const baseline = await measureCpu(bench.servicePid, perRun, () => baselineRun(perRun));
          await bench.analyze();
          const measured = await measureCpu(bench.servicePid, perRun, () => measuredRun(perRun));
          baselineRuns.push(baseline.result);
          baselineCpu.push(baseline.cpu);
          runs.push(measured.result);
          cpu.push(measured.cpu);
          log(`  ${key} pair ${pair + 1}: baseline ${round(baseline.result, 1)}/s (CPU ms a claim ${JSON.stringify(baseline.cpu)}), service ${round(measured.result, 1)}/s (${JSON.stringify(measured.cpu)})`);
        }
        return { runs, baselineRuns, cpuMsPerItem: { measured: medianSplit(cpu), baseline: medianSplit(baselineCpu) } };
      }
      const submit = await pairs('submit', bench.submitBaselineRun, bench.submitRun);
      figure('submitClaimsPerSec', 'claims/s', submit.runs, submit.baselineRuns, `POST /claims, 50 concurrent clients, distinct children, ${perRun} a run; baseline: the same statements through postgres.js at the same concurrency`, (value, baseline) => value / baseline);
      figures.submitClaimsPerSec!.cpuMsPerItem = submit.cpuMsPerItem;
      const approve = await pairs('approve', bench.approveBaselineRun, bench.approveRun);
      figure('approveClaimsPerSec', 'claims/s', approve.runs, approve.baselineRuns, 'POST /claims/:id/approve, 50 concurrent; baseline: the same statements through postgres.js', (value, baseline) => value / baseline);
      figures.approveClaimsPerSec!.cpuMsPerItem = approve.cpuMsPerItem;
      await bench.close();
      await database.drop();
    }

    if (wanted('batch100kSeconds')) {
      log('batch of 100,000');
      const database = await createDatabase(server.url, 'bench_batch');
      const service = new ServiceProcess(database.url, await freePort());
      await service.start();
      const reviewer = await makeUser(service.baseUrl, { name: '审核', role: 'reviewer', regionCode: '511702' });
      const issuer = await makeUser(service.baseUrl, { name: '复核', role: 'reviewer', regionCode: '511702' });
      const values: number[] = [];
      const baselines: number[] = [];
      for (let run = 0; run < PAIRS; run++) {
        const institution = await makeInstitution(service.baseUrl, `批量机构${run}`);
        baselines.push(await seedApprovedClaims(database.sql, serviceCipher(database.url), institution.id, reviewer.id, SIZE.batchClaims));
        const { seconds, buildSeconds } = await buildAndIssue(service.baseUrl, { builder: reviewer.credential, issuer: issuer.credential }, institution.id);
        values.push(seconds);
        log(`  run ${run + 1}: COPY ${round(baselines.at(-1)!)} s, build + issue ${round(seconds)} s (build ${round(buildSeconds)} s)`);
      }
      figure('batch100kSeconds', 's', values, baselines, 'POST /batches + issue (PDF included) for 100,000 approved claims; baseline: COPY of the same 100,000 claims and settlements', (value, baseline) => value / baseline);
      await service.stop();
      await database.drop();
    }

    if (wanted('nationalCycleMinutes')) {
      const claims = SIZE.cycleClaims;
      log(`national cycle of ${claims} claims`);
      const database = await createDatabase(server.url, 'bench_cycle');
      const service = new ServiceProcess(database.url, await freePort());
      await service.start();
      const reviewer = await makeUser(service.baseUrl, { name: '审核', role: 'reviewer', regionCode: '511702' });
      const issuer = await makeUser(service.baseUrl, { name: '复核', role: 'reviewer', regionCode: '511702' });
      const institutions = await Promise.all(Array.from({ length: 10 }, (_, index) => makeInstitution(service.baseUrl, `全国机构${index}`)));
      const children: { id: string; institution: { id: string; credential: Credential; userId: string } }[] = [];
      for (const institution of institutions) children.push(...(await seedReferredChildren(database.sql, serviceCipher(database.url), claims / 10 / 10, institution.id, reviewer.id)).map((id) => ({ id, institution })));
      // As a county works at month end: each institution sends its month as spreadsheets of 5,000
      // rows (several files at once across institutions), and the 残联 approves in blocks of 500.
      const started = performance.now();
      const submitted: string[] = [];
      const ROWS_PER_FILE = 5000;
      const files: { institution: { id: string; credential: Credential }; rows: string[] }[] = [];
      for (const institution of institutions) {
        const own = children.filter((child) => child.institution.id === institution.id);
        const rows = own.flatMap((child, childIndex) =>
          Array.from({ length: 10 }, (_, monthIndex) => {
            const month = `2025-${String(monthIndex + 1).padStart(2, '0')}`;
            return `N-${institution.id.slice(-6)}-${childIndex}-${monthIndex},${child.id},康复训练,${month},${month},1800.00,会计`;
          }),
        );
        for (let start = 0; start < rows.length; start += ROWS_PER_FILE) files.push({ institution, rows: rows.slice(start, start + ROWS_PER_FILE) });
      }
      await withConcurrency(files.length, 4, async (index) => {
        const file = files[index]!;
        const csv = ['结算申请号,儿童编号,救助项目,开始月份,结束月份,总费用,自审人', ...file.rows].join('\r\n');
        const response = await fetch(`${service.baseUrl}/api/v1/claims/bulk`, {
          method: 'POST',
          headers: { ...credentialHeaders(file.institution.credential, 'POST'), 'content-type': 'text/csv' },
          body: csv,
        });
        const body = (await response.json()) as { summary: { created: number; refused: number }; results: { claimId: string | null; error: unknown }[] };
        if (response.status !== 200 || body.summary.refused > 0) throw new Error(`cycle upload: ${response.status} ${JSON.stringify(body).slice(0, 400)}`);
        for (const result of body.results) submitted.push(result.claimId!);
      });
      const submittedAt = performance.now();
      log(`  submitted ${submitted.length} in ${files.length} files in ${round((submittedAt - started) / 1000)} s`);
      const BLOCK = 500;
      const blocks = Math.ceil(submitted.length / BLOCK);
      await withConcurrency(blocks, 4, async (index) => {
        const claimIds = submitted.slice(index * BLOCK, (index + 1) * BLOCK);
        const response = await fetch(`${service.baseUrl}/api/v1/claims/approve`, {
          method: 'POST',
          headers: { ...credentialHeaders(reviewer.credential, 'POST'), 'content-type': 'application/json' },
          body: JSON.stringify({ claimIds }),
        });
        const body = (await response.json()) as { summary: { approved: number; refused: number } };
        if (response.status !== 200 || body.summary.refused > 0) throw new Error(`cycle approve: ${response.status} ${JSON.stringify(body).slice(0, 400)}`);
      });
      const approvedAt = performance.now();
      log(`  approved in blocks of ${BLOCK} in ${round((approvedAt - submittedAt) / 1000)} s`);
      await buildAndIssue(service.baseUrl, { builder: reviewer.credential, issuer: issuer.credential }, undefined);
      const minutes = (performance.now() - started) / 60_000;
      log(`  batched and issued in ${round((performance.now() - approvedAt) / 1000)} s`);
      const extrapolated = full ? minutes : minutes * (500_000 / claims);
      figures.nationalCycleMinutes = {
        value: round(extrapolated),
        baseline: null,
        ratio: null,
        unit: 'minutes for 500,000 claims',
        runs: [round(minutes)],
        baselineRuns: [],
        note: `${full ? 'measured with 500,000 claims' : `measured with ${claims} claims in ${round(minutes)} min and extrapolated linearly to 500,000`}: spreadsheets of ${ROWS_PER_FILE} rows, 4 at a time (${round((submittedAt - started) / 1000)} s), approval in blocks of ${BLOCK}, 4 at a time (${round((approvedAt - submittedAt) / 1000)} s), then one batch per institution issued`,
      };
      log(`nationalCycleMinutes: ${JSON.stringify(figures.nationalCycleMinutes)}`);
      await service.stop();
      await database.drop();
    }
    if (wanted('eventLoopP99DuringBatchMs')) {
      log('responsiveness while a 30,000-line batch is issued');
      const measured = await eventLoopDuringBatch(server.url, RUNS, log, { lines: SIZE.loopLines, idleMs: SIZE.loopIdleMs });
      figure(
        'eventLoopP99DuringBatchMs',
        'ms',
        measured.busy,
        measured.idle,
        `p99 latency of GET /me sent ${20} times a second while a 30,000-line batch is built and issued (PDF in a worker thread; ${round(measured.issueSeconds, 1)} s a batch); baseline: the same probe while idle, interleaved run by run. Target p99 < 100 ms`,
        (value, baseline) => value / baseline,
      );
    }

    if (wanted('allowanceProvinceRollSeconds') || wanted('eventLoopP99DuringRollMs')) {
      log(`a province's care allowance roll: ${SIZE.provinceBeneficiaries} beneficiaries in ${SIZE.provinceVillages} villages`);
      // Each pair on a database of its own (a month has one roll): the INSERT … SELECT, then the roll over HTTP.
      const pairs: Awaited<ReturnType<typeof provinceRollPair>>[] = [];
      for (let pair = 0; pair < RUNS; pair++) pairs.push(await provinceRollPair(server.url, { beneficiaries: SIZE.provinceBeneficiaries, villages: SIZE.provinceVillages, idleMs: SIZE.loopIdleMs }, log));
      const steps = stepMedians(pairs);
      figure(
        'allowanceProvinceRollSeconds',
        's',
        pairs.map((pair) => pair.run.seconds),
        pairs.map((pair) => pair.baseline),
        `a province's roll over HTTP: ${SIZE.provinceBeneficiaries} beneficiaries in ${SIZE.provinceVillages} villages, ${pairs[0]!.run.entryCount} entries (three months each), built, published, the notice PDF of every village (${round(pairs[0]!.run.noticeBytes / 1024 / 1024, 1)} MB), issued, the summary PDF and both bank lists downloaded (medians: ${steps.join(', ')}); baseline: one INSERT … SELECT of the same entries`,
        (value, baseline) => value / baseline,
      );
      figure(
        'eventLoopP99DuringRollMs',
        'ms',
        pairs.map((pair) => pair.run.p99Ms),
        pairs.map((pair) => pair.run.idleP99Ms),
        `p99 latency of GET /me sent 20 times a second while the province's roll is built, published, issued and its documents downloaded; baseline: the same probe while idle, run by run. Target p99 < 100 ms`,
        (value, baseline) => value / baseline,
      );
    }

    if (wanted('basicLivingProvinceRollSeconds')) {
      log(`a province's basic-living roll: ${SIZE.provinceCases} cases in ${SIZE.provinceCaseVillages} villages`);
      const pairs: Awaited<ReturnType<typeof basicLivingRollPair>>[] = [];
      for (let pair = 0; pair < RUNS; pair++) pairs.push(await basicLivingRollPair(server.url, { cases: SIZE.provinceCases, villages: SIZE.provinceCaseVillages, idleMs: SIZE.loopIdleMs }, log));
      figure(
        'basicLivingProvinceRollSeconds',
        's',
        pairs.map((pair) => pair.run.seconds),
        pairs.map((pair) => pair.baseline),
        `a province's basic-living roll over HTTP on the roll kit: ${SIZE.provinceCases} recognised cases in ${SIZE.provinceCaseVillages} villages of 20 townships, ${pairs[0]!.run.entryCount} entries (three months each), built, issued by the other officer, the summary PDF and both bank lists downloaded (medians: ${stepMedians(pairs).join(', ')}; GET /me p99 ${round(median(pairs.map((pair) => pair.run.p99Ms)), 1)} ms, idle ${round(median(pairs.map((pair) => pair.run.idleP99Ms)), 1)} ms); baseline: one INSERT … SELECT of the same entries`,
        (value, baseline) => value / baseline,
      );
    }

    if (wanted('bombUploadPeakRssMiB')) {
      log('the expanding spreadsheet');
      const measured = await bombUpload(server.url, RUNS, log);
      figures.bombUploadPeakRssMiB = {
        value: round(median(measured.riseMiB)),
        baseline: null,
        ratio: null,
        unit: 'MiB of peak RSS above idle',
        runs: measured.riseMiB.map((run) => round(run)),
        baselineRuns: [],
        note: `a ${round(measured.fileMiB, 2)} MB XLSX expanding to 3,000,000 rows, refused in ${round(median(measured.seconds), 2)} s (median; runs ${measured.seconds.map((run) => round(run, 2)).join(', ')} s). Target: under 2 s and under 300 MiB`,
      };
      log(`bombUploadPeakRssMiB: ${JSON.stringify(figures.bombUploadPeakRssMiB)}`);
    }
  } finally {
    await server.stop();
  }

  if (smoke) {
    log('smoke run: every benchmark ran; nothing written');
    return;
  }
  // A run of some figures (--only) keeps the others of the last full run beside them.
  const earlier = only && existsSync(`${ROOT}bench/results/latest.json`) ? (JSON.parse(readFileSync(`${ROOT}bench/results/latest.json`, 'utf8')) as { machine: { date: string; git: string }; figures: Record<string, Figure> }) : null;
  const previous = earlier?.figures ?? {};
  // Each figure says when and at which commit it was measured.
  for (const entry of Object.values(previous)) entry.measured ??= `${earlier!.machine.date.slice(0, 10)} (${earlier!.machine.git})`;
  const stamp = machine(postgresVersion);
  for (const entry of Object.values(figures)) entry.measured = `${stamp.date.slice(0, 10)} (${stamp.git})`;
  const result = { machine: stamp, figures: { ...previous, ...figures } };
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  writeFileSync(`${ROOT}bench/results/latest.json`, JSON.stringify(result, null, 2) + '\n');
  const spread = (entry: Figure) => (entry.pairRatios?.length ? `${Math.min(...entry.pairRatios)}–${Math.max(...entry.pairRatios)} (${entry.pairRatios.length} pairs)` : '—');
  const rows = Object.entries(result.figures).map(([key, entry]) => `| \`${key}\` | ${entry.value} ${entry.unit} | ${entry.baseline ?? '—'} | ${entry.ratio ?? '—'} | ${spread(entry)} | ${entry.measured ?? '—'} | ${entry.note} |`);
  const split = (cpu: CpuSplit) => `load generator ${cpu.loadGenerator}, service ${cpu.service}, PostgreSQL ${cpu.postgres}`;
  const withCpu = Object.entries(result.figures).filter(([, entry]) => entry.cpuMsPerItem);
  const cpuLines = withCpu.length
    ? ['CPU per claim in ms (median over the pairs; from /proc, each process with the children it waited for):', '', ...withCpu.map(([key, entry]) => `- \`${key}\`: measured: ${split(entry.cpuMsPerItem!.measured)}; baseline: ${split(entry.cpuMsPerItem!.baseline)}`), '']
    : [];
  writeFileSync(
    `${ROOT}bench/results/latest.md`,
    [
      '# Benchmark results',
      '',
      `Last run ${result.machine.date} on ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGiB} GiB; Node ${result.machine.node}, PostgreSQL ${result.machine.postgres}; commit ${result.machine.git}.`,
      `Baseline and measured runs alternate (A B A B …, ${PAIRS} pairs, the same warm-up for both); value and baseline are medians, the ratio is the median of the pairs' ratios and the spread their min–max; the measured column says when and at which commit. The load generator shares the machine.`,
      '',
      '| key | value | baseline | ratio | pair ratios (min–max) | measured | what |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
      ...cpuLines,
    ].join('\n'),
  );
  log('written bench/results/latest.json and latest.md');
}

await main();
