import type { Database } from '../db/client.js';
import { formatMoney, money } from '../domain/money.js';
import { sha256Hex } from '../domain/sha256.js';
import type { RequestContext } from '../http/context.js';
import { invalidState, notFound } from '../http/errors.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import type { Offload } from '../workers/pool.js';
import type { BankList } from '../../reports/bankTransferList.js';
import type { RollProgramme } from './programme.js';
import { entriesByTransfer } from './rollParts.js';
import { entriesOfRoll, findRollDocument, findRollInScope, transfersOf } from './rolls.repository.js';
import { mapInSlices } from './slices.js';

// An issued roll's documents: the summary PDF (stored at issue, checked against its hash when
// served) and the bank transfer list (代发清单) with the programme's 摘要.

export class RollDocumentIntegrityError extends Error {}

export function createRollDocuments(deps: { db: Database; cipher: FieldCipher; programme: RollProgramme; offload: Offload }) {
  const { db, cipher, programme, offload } = deps;
  const t = programme.tables;

  async function issued(context: RequestContext, id: string, what: string) {
    const roll = await findRollInScope(db, programme, context.actor, id);
    if (!roll) throw notFound('roll');
    if (roll.status !== 'issued' && roll.status !== 'settled') throw invalidState(`the roll is ${roll.status}; ${what} exists once it is issued`);
    return roll;
  }

  return {
    /** The summary PDF as stored at issue, after checking it against its stored hash. */
    async pdf(context: RequestContext, id: string) {
      const roll = await issued(context, id, 'its summary');
      const document = await findRollDocument(db, t, id);
      if (!document || sha256Hex(document.pdf) !== document.pdfSha256) throw new RollDocumentIntegrityError(`stored summary PDF of roll ${roll.number} does not match its hash`);
      return { number: roll.number, pdf: document.pdf, sha256: document.pdfSha256 };
    },

    /** The bank transfer list (代发清单) of an issued roll. */
    async bankList(context: RequestContext, id: string, kind: 'xlsx' | 'csv') {
      const roll = await issued(context, id, 'the bank list');
      const [transfers, entries] = await Promise.all([transfersOf(db, t, id), entriesOfRoll(db, t, id)]);
      const byTransfer = await entriesByTransfer(entries);
      const list: BankList = {
        number: roll.number,
        total: formatMoney(money(roll.issuedTotal!)),
        transfers: await mapInSlices(transfers, (transfer) => ({
          transferNo: transfer.transferNo,
          accountName: transfer.accountName,
          accountNumber: programme.openAccountNumber(cipher, transfer.accountNumberSealed),
          bank: transfer.bank,
          amount: formatMoney(money(transfer.amount)),
          memo: programme.bankMemo((byTransfer.get(transfer.transferNo) ?? []).map((entry) => entry.month)),
        })),
      };
      // Laid out in a worker thread, as the PDFs are.
      return { number: roll.number, bytes: Buffer.from(await offload.run('bankList', { json: JSON.stringify(list), kind })) };
    },
  };
}
