import { createHash } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { getTableName } from 'drizzle-orm';
import type postgres from 'postgres';
import type { FieldCipher } from '../../src/keys/fieldCipher.js';
import type { RollEntryView, RollProgramme, TransferView } from '../../src/monthlyRoll/programme.js';

// The frozen rolls of a programme on the roll kit, checked from their rows: every issued roll's
// summary PDF is the bytes its hash names, and its content hash is that of its programme's
// canonical form rebuilt from its transfers and entries as they are now (so nothing in an issued
// roll changed after issue), with its stored total. Returns the broken rolls by rule.

export async function brokenRollHashes(sql: postgres.Sql, programme: RollProgramme, cipher: FieldCipher): Promise<Record<string, readonly unknown[]>> {
  const t = programme.tables;
  const payee = t.entries.payeeId.name;
  const place = t.transfers.placeName.name.replace(/_name$/, '');
  const rolls = await sql.unsafe(`
    select r.id, r.number, r.region_code, r.month, r.notice_from::text, r.notice_to::text, r.issued_at, r.issued_total::text, r.sha256, d.pdf, d.pdf_sha256
    from ${getTableName(t.rolls)} r left join ${getTableName(t.rollDocuments)} d on d.roll_id = r.id where r.status in ('issued', 'settled')`);
  const documentHash: string[] = [];
  const contentHash: string[] = [];
  for (const roll of rolls) {
    if (!roll.pdf || createHash('sha256').update(roll.pdf).digest('hex') !== roll.pdf_sha256) documentHash.push(roll.id);
    const transfers = await sql.unsafe(
      `select transfer_no, ${payee} as payee_id, child_name, ${place}_name as place_name, ${place}_code as place_code, bank, account_name, account_number_sealed, amount::text, status, failure_reason
       from ${getTableName(t.transfers)} where roll_id = $1 and status <> 'removed' order by transfer_no`,
      [roll.id],
    );
    const entries = await sql.unsafe(
      `select transfer_no, ${payee} as payee_id, month, tier, fund, amount::text from ${getTableName(t.entries)} where roll_id = $1 and removed_reason is null order by transfer_no, month`,
      [roll.id],
    );
    const entryViews: RollEntryView[] = entries.map((entry) => ({ transferNo: entry.transfer_no, payeeId: entry.payee_id, month: entry.month, tier: entry.tier, fund: entry.fund, amount: entry.amount }));
    const sum = (keep: (entry: RollEntryView) => boolean) => entryViews.filter(keep).reduce((total, entry) => total.plus(entry.amount), new Decimal(0)).toFixed(2);
    const { column, keys } = programme.split;
    const head = programme.canonical.head({
      number: roll.number,
      regionCode: roll.region_code,
      month: roll.month,
      noticeFrom: roll.notice_from,
      noticeTo: roll.notice_to,
      issuedAt: new Date(roll.issued_at).toISOString(),
      transferCount: transfers.length,
      total: roll.issued_total,
      split: Object.fromEntries(Object.entries(keys).map(([key, stored]) => [key, sum((entry) => entry[column] === stored)])),
      arrearsTotal: sum((entry) => entry.month < roll.month),
    });
    const canonical = JSON.stringify({
      ...head,
      transfers: transfers.map((row) => {
        const transfer: TransferView = {
          transferNo: row.transfer_no,
          payeeId: row.payee_id,
          childName: row.child_name,
          placeName: row.place_name,
          placeCode: row.place_code,
          bank: row.bank,
          accountName: row.account_name,
          accountNumberSealed: row.account_number_sealed,
          amount: row.amount,
          status: row.status,
          failureReason: row.failure_reason,
        };
        return programme.canonical.transfer(transfer, programme.openAccountNumber(cipher, transfer.accountNumberSealed), entryViews.filter((entry) => entry.transferNo === transfer.transferNo));
      }),
    });
    if (createHash('sha256').update(canonical).digest('hex') !== roll.sha256) contentHash.push(roll.id);
  }
  return Object.fromEntries(Object.entries({ rollDocumentHash: documentHash, rollContentHash: contentHash }).filter(([, rows]) => rows.length > 0));
}
