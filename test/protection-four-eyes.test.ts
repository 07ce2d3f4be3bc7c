import { describe, expect, it } from 'vitest';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestApp } from './support/lifecycle.js';
import { auditRows, caseBody, createProtectionCounty, expectOk, protectionAccount, receiveCase, townshipChild, type ProtectionCounty } from './support/protection.js';
import type { Client, TestApp } from './support/testApp.js';
import { personalAdmins } from './support/world.js';

// Nobody moves money alone (security.md §2) in the protection of children in difficulty
// (protection.md §4.5): a case's bank account — where its basic-living payments go — changes only
// when a second civil affairs officer confirms what the first asked for. The same officer's second
// step is 409 FOUR_EYES_REQUIRED, answered after the state checks, and changes nothing.

let test: TestApp;
let county: ProtectionCounty;
withTestApp((made) => (test = made));

const at = (date: string) => test.clock.set(`${date}T10:00:00+08:00`);

/** A case received by the township and recognised by the first civil affairs officer. */
async function recognisedCase() {
  at('2025-11-20');
  county ??= await createProtectionCounty(test);
  const child = await townshipChild(county);
  const received = await receiveCase(county, caseBody(child.id));
  await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
  const recognised = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, {}), 'recognise');
  return recognised as { id: string; bankAccount: { accountNumber: string } };
}

const caseOf = async (id: string, reader: Client = county.civilAffairs) => (await reader.get(`/api/v1/protection/cases/${id}`)).body;
const askFor = (by: Client, id: string, account = protectionAccount()) => by.put(`/api/v1/protection/cases/${id}/bank-account`, account);
const confirm = (by: Client, id: string) => by.post(`/api/v1/protection/cases/${id}/bank-account/confirm`);

describe('a case’s bank account changes only when a second civil affairs officer confirms it', () => {
  it('the asker’s own confirmation is 409 FOUR_EYES_REQUIRED and changes nothing; payments stay with the old account until another officer confirms; a second request replaces the pending one', async () => {
    const kase = await recognisedCase();
    const old = kase.bankAccount.accountNumber;
    const first = protectionAccount();
    const asked = await expectOk(askFor(county.civilAffairs, kase.id, first), 'ask');
    expect(asked.bankAccount.accountNumber).toBe(old);
    expect(asked.pendingBankAccount).toMatchObject({ accountNumber: first.accountNumber, requestedBy: { id: county.users.civilAffairs.id, name: '民政甲' }, requestedAt: '2025-11-20T02:00:00.000Z' });

    const refused = await expectRefusedUnchanged(test.db, () => confirm(county.civilAffairs, kase.id), 409, 'FOUR_EYES_REQUIRED');
    expect(refused.body.error.details).toEqual([{ firstUserId: county.users.civilAffairs.id }]);
    expect((await caseOf(kase.id)).bankAccount.accountNumber).toBe(old);

    // The second officer asks for another account: it replaces the pending one, and now only the first may confirm.
    const second = protectionAccount();
    const replaced = await expectOk(askFor(county.civilAffairs2, kase.id, second), 'replace');
    expect(replaced.pendingBankAccount).toMatchObject({ accountNumber: second.accountNumber, requestedBy: { id: county.users.civilAffairs2.id, name: '民政乙' } });
    await expectRefusedUnchanged(test.db, () => confirm(county.civilAffairs2, kase.id), 409, 'FOUR_EYES_REQUIRED');
    const confirmed = await expectOk(confirm(county.civilAffairs, kase.id), 'confirm');
    expect(confirmed.bankAccount.accountNumber).toBe(second.accountNumber);
    expect(confirmed.pendingBankAccount).toBeNull();
    // Nothing waits any more.
    await expectRefusedUnchanged(test.db, () => confirm(county.civilAffairs2, kase.id), 409, 'INVALID_STATE');

    const rows = await auditRows(test.db, { entityType: 'case', entityId: kase.id });
    const accountRows = rows.filter((row) => row.action.startsWith('bank_account.'));
    expect(accountRows.map((row) => row.action)).toEqual(['bank_account.change_requested', 'bank_account.change_requested', 'bank_account.confirmed']);
    expect(accountRows.at(-1)!.data).toMatchObject({ requestedByUserId: county.users.civilAffairs2.id, after: { accountNumber: `${second.accountNumber.slice(0, 3)}************${second.accountNumber.slice(-4)}` } });
    const text = JSON.stringify(accountRows);
    for (const number of [old, first.accountNumber, second.accountNumber]) expect(text, number).not.toContain(number);
  });

  it('the state is checked first: a confirmation on an exited case is 409 INVALID_STATE, even by the asker', async () => {
    const kase = await recognisedCase();
    await expectOk(askFor(county.civilAffairs, kase.id), 'ask');
    await expectOk(county.civilAffairs2.post(`/api/v1/protection/cases/${kase.id}/exit`, { reason: 'adopted', eventOn: '2025-11-18' }), 'exit');
    await expectRefusedUnchanged(test.db, () => confirm(county.civilAffairs, kase.id), 409, 'INVALID_STATE');
    await expectRefusedUnchanged(test.db, () => confirm(county.civilAffairs2, kase.id), 409, 'INVALID_STATE');
  });

  it('two officers confirming one change at once: one takes effect, the other finds nothing pending (INVALID_STATE); one confirmation in the trail', async () => {
    const kase = await recognisedCase();
    const third = (await (await personalAdmins(test)).createUser({ name: '民政丙', role: 'civil_affairs', regionCode: county.regionCode })).client;
    const wanted = protectionAccount();
    await expectOk(askFor(county.civilAffairs, kase.id, wanted), 'ask');
    const answers = await Promise.all([county.civilAffairs2, third].map((officer) => confirm(officer, kase.id)));
    expect(answers.map((answer) => [answer.status, answer.body.error?.code ?? null]).sort()).toEqual([
      [200, null],
      [409, 'INVALID_STATE'],
    ]);
    expect((await caseOf(kase.id)).bankAccount.accountNumber).toBe(wanted.accountNumber);
    expect((await auditRows(test.db, { entityId: kase.id, action: 'bank_account.confirmed' })).length).toBe(1);
  });

  it('only civil affairs asks for or confirms a change (403 for the township, the reviewer, a department and the auditor; 404 for another county’s officer)', async () => {
    const kase = await recognisedCase();
    const auditor = (await (await personalAdmins(test)).createUser({ name: '周审计', role: 'auditor' })).client;
    for (const caller of [county.township, county.reviewer, county.health, auditor]) {
      expect((await askFor(caller, kase.id)).status).toBe(403);
      expect((await confirm(caller, kase.id)).status).toBe(403);
    }
    const other = await createProtectionCounty(test, '517287');
    await expectOk(askFor(county.civilAffairs, kase.id), 'ask');
    expect((await confirm(other.civilAffairs, kase.id)).status).toBe(404);
    expect((await askFor(other.civilAffairs, kase.id)).status).toBe(404);
  });
});
