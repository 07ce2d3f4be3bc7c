import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkArchive } from '../src/backups/restore.js';
import { loggerOptions } from '../src/http/logging.js';
import { deviceClaim, submit, trainingClaim } from './support/claims.js';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestWorld } from './support/lifecycle.js';
import { tableCounts, type Client, type TestApp } from './support/testApp.js';
import { referredChild, type World } from './support/world.js';

// Evidence attached to claims (api.md "Evidence"): files told by their content, at most 10 MB and
// 20 a claim, a region's required kinds, evidenceMissing on the claim, approval (single and bulk)
// refused with EVIDENCE_MISSING while any is missing; kept in the database, in the backup, and
// out of the logs.

const logLines: string[] = [];
let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made), { logger: loggerOptions('info', { write: (line: string) => logLines.push(line) }) });

// Small files of each kind, each with a marker that must never reach a log line.
const MARKER = 'EVIDENCE-CONTENT-MARKER';
const pdf = (text = 'x') => Buffer.from(`%PDF-1.4\n% ${MARKER} ${text}\n%%EOF\n`);
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(MARKER)]);
const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(MARKER)]);
const docx = () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(MARKER)]);

async function attach(caller: Client, claimId: string, kind: string, file: Buffer, options: { fileName?: string; type?: string } = {}) {
  const query = new URLSearchParams({ kind, ...(options.fileName ? { fileName: options.fileName } : {}) });
  return caller.request('POST', `/api/v1/claims/${claimId}/attachments?${query}`, file, { 'content-type': options.type ?? 'application/pdf' });
}

async function trainingClaimOfNewChild() {
  const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training', 'device'] });
  const claim = await submit(world.a, trainingClaim(child.id, '2026-01', '2026-02', '3000'));
  return { child, claim: claim as typeof claim & { evidenceMissing: string[] } };
}

describe('a region’s required evidence', () => {
  it('the admin sets it per service; reviewers read it in the settings, institutions on their own route', async () => {
    const refused = await world.admin.put('/api/v1/regions/511702/settings', { requiredEvidence: { training: ['attendance', 'attendance'] } });
    expect([refused.status, refused.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const unknownKind = await world.admin.put('/api/v1/regions/511702/settings', { requiredEvidence: { training: ['photo'] } });
    expect(unknownKind.status).toBe(400);
    const set = await world.admin.put('/api/v1/regions/511702/settings', { requiredEvidence: { training: ['attendance', 'invoice'], limb_surgery: ['discharge_summary'] } });
    expect(set.status).toBe(200);
    expect(set.body.requiredEvidence).toEqual({ training: ['attendance', 'invoice'], limb_surgery: ['discharge_summary'] });
    expect((await world.reviewer.get('/api/v1/regions/511702/settings')).body.requiredEvidence).toEqual(set.body.requiredEvidence);
    const forInstitution = await world.a.get('/api/v1/regions/511702/required-evidence');
    expect(forInstitution.body).toEqual({ regionCode: '511702', requiredEvidence: { training: ['attendance', 'invoice'], limb_surgery: ['discharge_summary'] } });
    // Another region requires nothing.
    expect((await world.a.get('/api/v1/regions/511781/required-evidence')).body.requiredEvidence).toEqual({});
    const audit = await world.admin.get('/api/v1/audit?entityType=region&limit=500');
    expect(audit.body.items.at(-1).data.after.requiredEvidence).toEqual({ training: ['attendance', 'invoice'], limb_surgery: ['discharge_summary'] });
  });
});

describe('POST /claims/:id/attachments', () => {
  it('a new claim lacks every required kind; approval alone and in bulk is refused with EVIDENCE_MISSING and changes nothing', async () => {
    const { child, claim } = await trainingClaimOfNewChild();
    expect(claim.evidenceMissing).toEqual(['attendance', 'invoice']);
    const refused = await expectRefusedUnchanged(test.db, () => world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {}), 422, 'EVIDENCE_MISSING');
    expect(refused.body.error.details).toEqual([{ kind: 'attendance' }, { kind: 'invoice' }]);
    expect(refused.body.error.message).toContain('训练考勤');
    // A device claim needs nothing in this region: the block approves it and refuses the other.
    const device = await submit(world.a, deviceClaim(child.id, 'hearing_aid', '2026-03-01', '1000'));
    const bulk = await world.reviewer.post('/api/v1/claims/approve', { claimIds: [claim.id, device.id] });
    expect(bulk.body.results).toEqual([
      { claimId: claim.id, status: 'refused', error: { code: 'EVIDENCE_MISSING', message: expect.stringContaining('attendance'), details: [{ kind: 'attendance' }, { kind: 'invoice' }] } },
      { claimId: device.id, status: 'approved', approvedAmount: '1000.00', estimate: '1000.00', remainder: '1000.00', reasons: [] },
    ]);
  });

  it('takes a PDF, JPEG or PNG by content, whatever its declared type; the claim then lacks nothing and is approved', async () => {
    const { claim } = await trainingClaimOfNewChild();
    const file = pdf('attendance');
    const added = await attach(world.a, claim.id, 'attendance', file, { fileName: 'C:\\扫描\\一月考勤.pdf' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      claimId: claim.id,
      kind: 'attendance',
      fileName: '一月考勤.pdf',
      contentType: 'application/pdf',
      bytes: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
      uploadedBy: world.users.a.id,
    });
    // A PNG declared as a PDF (or as bytes) is kept as the PNG it is.
    const image = await attach(world.a, claim.id, 'invoice', png(), { fileName: '发票.pdf', type: 'application/octet-stream' });
    expect([image.status, image.body.contentType, image.body.fileName]).toEqual([201, 'image/png', '发票.pdf.png']);
    expect((await attach(world.a, claim.id, 'other', jpeg(), { type: 'image/jpeg' })).body).toMatchObject({ contentType: 'image/jpeg', fileName: '其他材料.jpg' });
    expect((await world.a.get(`/api/v1/claims/${claim.id}`)).body.evidenceMissing).toEqual([]);
    const approved = await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {});
    expect([approved.status, approved.body.evidenceMissing]).toEqual([200, []]);
    // Decided: no file is added or removed any more.
    await expectRefusedUnchanged(test.db, () => attach(world.a, claim.id, 'other', pdf()), 409, 'INVALID_STATE');
    await expectRefusedUnchanged(test.db, () => world.a.delete(`/api/v1/claims/${claim.id}/attachments/${added.body.id}`), 409, 'INVALID_STATE');
  });

  it('refuses what is not a PDF, JPEG or PNG, an empty body, a file over 10 MB and an unknown kind, changing nothing', async () => {
    const { claim } = await trainingClaimOfNewChild();
    const renamed = await expectRefusedUnchanged(test.db, () => attach(world.a, claim.id, 'invoice', docx(), { fileName: '发票.pdf' }), 400, 'VALIDATION_FAILED');
    expect(renamed.body.error.message).toContain('not a PDF, JPEG or PNG');
    await expectRefusedUnchanged(test.db, () => attach(world.a, claim.id, 'invoice', Buffer.alloc(0)), 400, 'VALIDATION_FAILED');
    await expectRefusedUnchanged(test.db, () => attach(world.a, claim.id, 'photo', pdf()), 400, 'VALIDATION_FAILED');
    const big = Buffer.concat([pdf(), Buffer.alloc(10 * 1024 * 1024)]);
    await expectRefusedUnchanged(test.db, () => attach(world.a, claim.id, 'invoice', big), 413, 'PAYLOAD_TOO_LARGE');
    // Exactly 10 MiB is taken.
    const largest = Buffer.concat([pdf(), Buffer.alloc(10 * 1024 * 1024 - pdf().length)]);
    expect((await attach(world.a, claim.id, 'invoice', largest)).status).toBe(201);
  });

  it('at most 20 files a claim; removing one makes room, and the kinds missing follow', async () => {
    const { claim } = await trainingClaimOfNewChild();
    const ids: string[] = [];
    for (let index = 0; index < 20; index += 1) ids.push((await attach(world.a, claim.id, index === 0 ? 'attendance' : 'other', pdf(String(index)))).body.id);
    const full = await expectRefusedUnchanged(test.db, () => attach(world.a, claim.id, 'invoice', pdf()), 409, 'INVALID_STATE');
    expect(full.body.error.message).toContain('at most 20');
    const removed = await world.a.delete(`/api/v1/claims/${claim.id}/attachments/${ids[0]}`);
    expect([removed.status, removed.body.kind]).toEqual([200, 'attendance']);
    const listed = await world.a.get(`/api/v1/claims/${claim.id}/attachments`);
    expect([listed.body.items.length, listed.body.evidenceMissing]).toEqual([19, ['attendance', 'invoice']]);
    expect((await attach(world.a, claim.id, 'invoice', pdf())).status).toBe(201);
    const history = (await world.a.get(`/api/v1/claims/${claim.id}`)).body.history.map((entry: { action: string }) => entry.action);
    expect(history.filter((action: string) => action === 'attachment_added')).toHaveLength(21);
    expect(history).toContain('attachment_removed');
  });

  it('a returned claim takes files with its correction', async () => {
    const { claim } = await trainingClaimOfNewChild();
    await world.reviewer.post(`/api/v1/claims/${claim.id}/return`, { reason: '缺少训练记录签字' });
    expect((await attach(world.a, claim.id, 'attendance', pdf('signed'))).status).toBe(201);
    expect((await world.a.get(`/api/v1/claims/${claim.id}`)).body.evidenceMissing).toEqual(['invoice']);
  });
});

describe('reading the files', () => {
  it('the institution and the region’s reviewers list and download them; finance may not; others find nothing', async () => {
    const { claim } = await trainingClaimOfNewChild();
    const file = pdf('read');
    const added = (await attach(world.a, claim.id, 'attendance', file, { fileName: '张小明考勤.pdf' })).body;
    for (const reader of [world.a, world.reviewer]) {
      const list = await reader.get(`/api/v1/claims/${claim.id}/attachments`);
      expect([list.status, list.body.items.map((item: { id: string }) => item.id), list.body.evidenceMissing]).toEqual([200, [added.id], ['invoice']]);
      const download = await reader.get(`/api/v1/claims/${claim.id}/attachments/${added.id}`);
      expect(download.status).toBe(200);
      expect(download.rawPayload.equals(file)).toBe(true);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['content-disposition']).toBe(`attachment; filename="evidence-${added.id}.pdf"; filename*=UTF-8''${encodeURIComponent('张小明考勤.pdf')}`);
    }
    expect((await world.finance.get(`/api/v1/claims/${claim.id}/attachments`)).status).toBe(403);
    for (const outsider of [world.b, world.otherReviewer]) {
      expect((await outsider.get(`/api/v1/claims/${claim.id}/attachments`)).status).toBe(404);
      expect((await outsider.get(`/api/v1/claims/${claim.id}/attachments/${added.id}`)).status).toBe(404);
    }
    expect((await world.b.request('POST', `/api/v1/claims/${claim.id}/attachments?kind=other`, pdf(), { 'content-type': 'application/pdf' })).status).toBe(404);
    // Another claim's file is not found through this one.
    const { claim: other } = await trainingClaimOfNewChild();
    expect((await world.a.get(`/api/v1/claims/${other.id}/attachments/${added.id}`)).status).toBe(404);
  });

  it('the audit trail keeps kind, size and hash, never the file or its name; no log line holds either', async () => {
    const { claim } = await trainingClaimOfNewChild();
    await attach(world.a, claim.id, 'attendance', pdf(), { fileName: '王小花出院小结.pdf' });
    const audit = await world.reviewer.get(`/api/v1/audit?entityType=claim&entityId=${claim.id}`);
    const added = audit.body.items.find((event: { action: string }) => event.action === 'claim.attachment_added');
    expect(Object.keys(added.data).sort()).toEqual(['attachmentId', 'bytes', 'contentType', 'kind', 'sha256']);
    const logged = logLines.join('\n');
    expect(logged).toContain('/attachments');
    expect(logged).not.toContain(MARKER);
    expect(logged).not.toContain('王小花');
    expect(logged).not.toContain(encodeURIComponent('王小花'));
  });

  it('a backup of the embedded database carries the files, counted and checked against their hashes', async () => {
    if (test.kind !== 'pglite') return;
    const { claim } = await trainingClaimOfNewChild();
    await attach(world.a, claim.id, 'invoice', pdf('backup'));
    const backup = await world.admin.request('GET', '/api/v1/admin/backup');
    const summary = await checkArchive(backup.rawPayload);
    expect(summary.attachments).toBe((await tableCounts(test.db)).claim_attachments);
    expect(summary.attachments).toBeGreaterThan(0);
  });
});
