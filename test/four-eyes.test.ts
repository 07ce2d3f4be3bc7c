import { describe, expect, it } from 'vitest';
import { pdfText } from '../src/testing/pdfTools.js';
import { submitAndApprove, trainingClaim } from './support/claims.js';
import { tableCounts, type TestApp } from './support/testApp.js';
import { referredChild, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

// Nobody moves money alone (security.md §2): a batch is issued by another reviewer than the one
// who built it; an institution's bank account changes only when another admin confirms. The same
// person's second step is 409 FOUR_EYES_REQUIRED, after the state checks, and changes nothing.

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

/** An approved claim of institution A, and the draft batch the first reviewer builds from it. */
async function draftBatch() {
  const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
  await submitAndApprove(world.a, world.reviewer, trainingClaim(child.id, '2026-01', '2026-01', '1000'));
  const made = await world.reviewer.post('/api/v1/batches', { institutionId: world.instA.id });
  return made.body.batches[0] as { id: string; number: string };
}

describe('a batch: built by one reviewer, issued by another', () => {
  it('the builder’s issue → 409 FOUR_EYES_REQUIRED and nothing changes; another reviewer of the region issues it', async () => {
    const batch = await draftBatch();
    const before = await tableCounts(test.db);
    const refused = await world.reviewer.post(`/api/v1/batches/${batch.id}/issue`, {});
    expect([refused.status, refused.body.error.code]).toEqual([409, 'FOUR_EYES_REQUIRED']);
    expect(await tableCounts(test.db)).toEqual(before);
    expect((await world.reviewer.get(`/api/v1/batches/${batch.id}`)).body.status).toBe('draft');
    // Out of the region there is no batch to issue.
    expect((await world.otherReviewer.post(`/api/v1/batches/${batch.id}/issue`, {})).status).toBe(404);

    const issued = await world.reviewer2.post(`/api/v1/batches/${batch.id}/issue`, {});
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ status: 'issued', builtBy: { id: world.users.reviewer.id, name: '王审核' }, issuedBy: { id: world.users.reviewer2.id, name: '钱复核' } });
    // The state check answers first: issuing an issued batch is INVALID_STATE, whoever asks.
    expect((await world.reviewer.post(`/api/v1/batches/${batch.id}/issue`, {})).body.error.code).toBe('INVALID_STATE');
    expect((await world.reviewer2.post(`/api/v1/batches/${batch.id}/issue`, {})).body.error.code).toBe('INVALID_STATE');
    const [issuedEvent] = (await world.reviewer.get(`/api/v1/audit?entityId=${batch.id}&action=batch.issued`)).body.items;
    expect(issuedEvent).toMatchObject({ actorId: world.users.reviewer2.id, data: { builtByUserId: world.users.reviewer.id } });
  });

  it('the PDF prints the builder as 经办人 and the issuer as 审核人, by name', async () => {
    const batch = await draftBatch();
    await world.reviewer2.post(`/api/v1/batches/${batch.id}/issue`, {});
    const pdf = await world.finance.request('GET', `/api/v1/batches/${batch.id}/pdf`);
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, '');
    expect(text).toContain('经办人：王审核');
    expect(text).toContain('审核人：钱复核');
  });
});

describe('an institution’s bank account: asked for by one admin, confirmed by another', () => {
  const account = (number: string) => ({ bank: '中国工商银行达州分行', accountName: '阳光儿童康复中心', accountNumber: number });

  it('a change is pending (who asked, when) and payments keep the old account; the same admin cannot confirm; a second change replaces the first; another admin confirms', async () => {
    const institutionId = world.instA.id;
    const old = (await world.admin.get(`/api/v1/institutions/${institutionId}`)).body.bankAccount;
    const asked = await world.admin.put(`/api/v1/institutions/${institutionId}`, { bankAccount: account('6222 0000 0000 0001') });
    expect(asked.status).toBe(200);
    expect(asked.body.bankAccount).toEqual(old);
    expect(asked.body.pendingBankAccount).toEqual({ ...account('6222000000000001'), requestedBy: { id: world.users.admin.id, name: '系统管理员甲' }, requestedAt: '2026-11-22T02:00:00.000Z' });
    // Everyone who reads the institution sees it pending; a batch made now pays the old account.
    expect((await world.reviewer.get(`/api/v1/institutions/${institutionId}`)).body.pendingBankAccount.accountNumber).toBe('6222000000000001');
    const batch = await draftBatch();
    expect((await world.reviewer.get(`/api/v1/batches/${batch.id}`)).body.payee.accountNumber).toBe(old.accountNumber);
    await world.reviewer.post(`/api/v1/batches/${batch.id}/cancel`, {});

    const before = await tableCounts(test.db);
    const own = await world.admin.post(`/api/v1/institutions/${institutionId}/bank-account/confirm`, {});
    expect([own.status, own.body.error.code]).toEqual([409, 'FOUR_EYES_REQUIRED']);
    expect(await tableCounts(test.db)).toEqual(before);

    // A second change replaces the pending one: now the first admin may confirm the second's.
    const replaced = await world.admin2.put(`/api/v1/institutions/${institutionId}`, { bankAccount: account('6222000000000002') });
    expect(replaced.body.pendingBankAccount).toMatchObject({ accountNumber: '6222000000000002', requestedBy: { id: world.users.admin2.id } });
    expect((await world.admin2.post(`/api/v1/institutions/${institutionId}/bank-account/confirm`, {})).body.error.code).toBe('FOUR_EYES_REQUIRED');
    const confirmed = await world.admin.post(`/api/v1/institutions/${institutionId}/bank-account/confirm`, {});
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ bankAccount: account('6222000000000002'), pendingBankAccount: null });
    const next = await draftBatch();
    expect((await world.reviewer.get(`/api/v1/batches/${next.id}`)).body.payee.accountNumber).toBe('6222000000000002');

    // Nothing pending: the state answers first, whoever asks.
    expect((await world.admin2.post(`/api/v1/institutions/${institutionId}/bank-account/confirm`, {})).body.error.code).toBe('INVALID_STATE');

    const events = (await world.admin.get(`/api/v1/audit?entityType=institution&entityId=${institutionId}`)).body.items as { action: string; actorId: string; data: Record<string, any> }[];
    const trail = events.filter((event) => event.action.startsWith('bank_account.'));
    expect(trail.map((event) => [event.action, event.actorId])).toEqual([
      ['bank_account.change_requested', world.users.admin.id],
      ['bank_account.change_requested', world.users.admin2.id],
      ['bank_account.confirmed', world.users.admin.id],
    ]);
    expect(trail[1]!.data.replaces).toMatchObject({ requestedByUserId: world.users.admin.id });
    expect(trail[2]!.data).toMatchObject({ requestedByUserId: world.users.admin2.id, after: { accountNumber: '622*********0002' } });
    expect(JSON.stringify(trail)).not.toMatch(/6222000000000002|6222000000000001/);
  });

  it('a name or services change at once; asking for the account it already has changes nothing', async () => {
    const institutionId = world.instB.id;
    const current = (await world.admin.get(`/api/v1/institutions/${institutionId}`)).body;
    const renamed = await world.admin.put(`/api/v1/institutions/${institutionId}`, { name: '星星雨康复学校（新址）', bankAccount: current.bankAccount });
    expect(renamed.body).toMatchObject({ name: '星星雨康复学校（新址）', pendingBankAccount: null, bankAccount: current.bankAccount });
  });
});
