import { readFileSync, writeFileSync } from 'node:fs';
import { makeInstitution, makeUser, seedApprovedClaims } from './batch.js';
import { median } from './lib.js';
import { createDatabase, credentialHeaders, freePort, RELIABILITY_ADMIN_TOKEN, ServiceProcess, type Credential } from '../test/reliability/service.js';
import { xlsx } from '../test/support/zip.js';

// Whether heavy work stalls everyone else: the latency of a cheap request (GET /me) sent 20 times a
// second while a 30,000-line batch is built and issued (its PDF laid out in a worker thread),
// against the same probe while the service is idle; and the memory a hostile spreadsheet costs.

const PROBE_PER_SECOND = 20;

/** Sends GET /me 20 times a second until `until` resolves; the latency of each in ms. */
export async function probe(baseUrl: string, credential: Credential, until: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void until.finally(() => (done = true));
  const inFlight: Promise<void>[] = [];
  while (!done) {
    const started = performance.now();
    inFlight.push(
      fetch(`${baseUrl}/api/v1/me`, { headers: credentialHeaders(credential) }).then(async (response) => {
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000 / PROBE_PER_SECOND));
  }
  await Promise.all(inFlight);
  return latencies;
}

export function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

/**
 * Runs `runs` pairs, each an idle probe then a probe during the issue of a new 30,000-line batch
 * (interleaved, so both see the machine as it is at that moment).
 */
export async function eventLoopDuringBatch(serverUrl: string, runs: number, log: (line: string) => void, size: { lines: number; idleMs: number } = { lines: 30_000, idleMs: 10_000 }) {
  const database = await createDatabase(serverUrl, 'bench_loop');
  const service = new ServiceProcess(database.url, await freePort());
  await service.start();
  try {
    const reviewer = await makeUser(service.baseUrl, { name: '审核', role: 'reviewer', regionCode: '511702' });
    // A second reviewer issues what the first built (security.md §2).
    const issuer = await makeUser(service.baseUrl, { name: '复核', role: 'reviewer', regionCode: '511702' });
    const idle: number[] = [];
    const busy: number[] = [];
    const issueSeconds: number[] = [];
    for (let run = 0; run < runs; run++) {
      const institution = await makeInstitution(service.baseUrl, `响应机构${run}`);
      await seedApprovedClaims(database.sql, institution.id, reviewer.id, size.lines);
      idle.push(p99(await probe(service.baseUrl, RELIABILITY_ADMIN_TOKEN, new Promise((resolve) => setTimeout(resolve, size.idleMs)))));
      const started = performance.now();
      const work = (async () => {
        const built = await fetch(`${service.baseUrl}/api/v1/batches`, {
          method: 'POST',
          headers: { ...credentialHeaders(reviewer.credential, 'POST'), 'content-type': 'application/json' },
          body: JSON.stringify({ institutionId: institution.id }),
        });
        const batch = ((await built.json()) as { batches: { id: string }[] }).batches[0]!;
        const issued = await fetch(`${service.baseUrl}/api/v1/batches/${batch.id}/issue`, { method: 'POST', headers: credentialHeaders(issuer.credential, 'POST') });
        if (issued.status !== 200) throw new Error(`issue failed: ${issued.status} ${await issued.text()}`);
      })();
      busy.push(p99(await probe(service.baseUrl, RELIABILITY_ADMIN_TOKEN, work)));
      await work;
      issueSeconds.push((performance.now() - started) / 1000);
      log(`  run ${run + 1}: p99 idle ${idle.at(-1)!.toFixed(1)} ms, during the issue ${busy.at(-1)!.toFixed(1)} ms (build + issue ${issueSeconds.at(-1)!.toFixed(1)} s)`);
    }
    return { busy, idle, issueSeconds: median(issueSeconds) };
  } finally {
    await service.stop();
    await database.drop();
  }
}

function memoryKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

/**
 * The 1.2 MB spreadsheet that expands to 3,000,000 rows, uploaded to a running service: how long
 * until it is refused, and how far the process's resident memory rose above idle (its peak, reset
 * just before the upload through /proc/<pid>/clear_refs).
 */
export async function bombUpload(serverUrl: string, runs: number, log: (line: string) => void) {
  const bomb = xlsx(['结算申请号', '救助项目', '总费用', '自审人'], 3_000_000, () => ['X', '康复训练', '1', 'x'], { unnumbered: true });
  log(`  the file: ${(bomb.length / 1024 / 1024).toFixed(2)} MB`);
  const database = await createDatabase(serverUrl, 'bench_bomb');
  const service = new ServiceProcess(database.url, await freePort());
  await service.start();
  try {
    const institution = await makeInstitution(service.baseUrl, '上传机构');
    const clerk = await makeUser(service.baseUrl, { name: '会计', role: 'institution', institutionId: institution.id });
    const riseMiB: number[] = [];
    const seconds: number[] = [];
    for (let run = 0; run < runs; run++) {
      // Warm: a worker thread and the reader loaded, as in a service that has served a while.
      await fetch(`${service.baseUrl}/api/v1/claims/bulk`, { method: 'POST', headers: { ...credentialHeaders(clerk.credential, 'POST'), 'content-type': 'text/csv' }, body: '结算申请号\nW-1' });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const pid = service.pid!;
      const idleKiB = memoryKiB(pid, 'VmRSS');
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      const started = performance.now();
      const response = await fetch(`${service.baseUrl}/api/v1/claims/bulk`, {
        method: 'POST',
        headers: { ...credentialHeaders(clerk.credential, 'POST'), 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        body: bomb,
      });
      const answer = (await response.json()) as { error?: { message: string } };
      seconds.push((performance.now() - started) / 1000);
      if (response.status !== 400) throw new Error(`the bomb was not refused: ${response.status}`);
      riseMiB.push((memoryKiB(pid, 'VmHWM') - idleKiB) / 1024);
      log(`  run ${run + 1}: refused in ${seconds.at(-1)!.toFixed(2)} s ("${answer.error?.message.slice(0, 60)}"), peak RSS ${riseMiB.at(-1)!.toFixed(1)} MiB above idle`);
    }
    return { riseMiB, seconds, fileMiB: bomb.length / 1024 / 1024 };
  } finally {
    await service.stop();
    await database.drop();
  }
}
