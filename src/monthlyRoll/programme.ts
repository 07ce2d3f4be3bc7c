import type { AuditAction } from '../audit/audit.repository.js';
import type { MonthlyRollTables } from '../db/schema.js';
import type { Executor, Transaction } from '../db/client.js';
import type { MonthlyRollPlan, RollMonthEntry, RollPayee } from '../domain/monthlyRollRule.js';
import type { Role } from '../domain/vocabulary.js';
import type { Actor, RequestContext } from '../http/context.js';
import type { FieldCipher } from '../keys/fieldCipher.js';

// What a monthly programme tells the roll kit (src/monthlyRoll/): whom it pays for a month and at
// what amount (its plan), whether a public notice comes before issue, its roll number's code, its
// texts and who reads its rolls. Everything else — due months and live entries, arrears, holds,
// transfers and their numbering, the bank list, results, failures, overpayments, refunds, waivers,
// freezing and hashing, the summary PDF — is the kit's, the same for every programme.

/** What a payee of a programme is for the kit: its record, child and where its transfer is numbered and summed. */
export interface KitPayee extends RollPayee {
  childName: string;
  placeName: string;
  placeCode: string | null;
  bank: string;
  accountName: string;
  /** As stored, sealed: carried to the transfer as it is. */
  accountNumberSealed: string;
}

/** A transfer of a roll as the kit reads it back. */
export interface TransferView {
  transferNo: number;
  payeeId: string;
  childName: string;
  placeName: string;
  placeCode: string | null;
  bank: string;
  accountName: string;
  /** Sealed: opened only where a number is shown. */
  accountNumberSealed: string;
  amount: string;
  status: string;
  failureReason: string | null;
}

export interface RollEntryView {
  transferNo: number;
  payeeId: string;
  month: string;
  tier: string;
  fund: string;
  amount: string;
}

/** The roll's totals split by fund (the allowance) or by standard (basic living): the wire key and the column value. */
export interface RollSplit {
  /** The name of the split in answers: `byFund`, `byStandard`. */
  name: string;
  column: 'tier' | 'fund';
  /** Wire key → stored value, in the order answers and the canonical form list them. */
  keys: Readonly<Record<string, string>>;
}

/** A group of the summary PDF (a community; a township) with its figures. */
export interface PlaceFigures {
  name: string;
  code: string | null;
  transferCount: number;
  entryCount: number;
  split: Record<string, string>;
  arrears: string;
  total: string;
}

export interface RollProgramme<Payee extends KitPayee = KitPayee, Reason extends string = string> {
  /** Names the advisory lock of the region's rolls: `allowance`, `basic-living`. */
  key: string;
  tables: MonthlyRollTables;
  /** The roll number's code: `<region>-<code>-<month>` (GA, JB). */
  numberCode: string;
  /** A roll is published for a public notice before issue (the care allowance), or issued from its draft. */
  notice: boolean;
  /** Who reads a roll in every state of its region; finance reads it once issued. */
  readers: readonly Role[];
  /** Audit: `roll` / `protection_roll`, `overpayment` / `protection_overpayment`; the payee's entity type. */
  audit: { roll: string; overpayment: string; payeeEntity: string };
  /** The key a payee is named by in answers: `beneficiaryId`, `caseId`. */
  payeeKey: string;
  /** The count of payees in a roll's answer: `beneficiaryCount`, `caseCount`. */
  countKey: string;
  split: RollSplit;
  /** The summary PDF groups by place (each community) or by the place code's first `codePrefix` digits (a township). */
  summaryGroup: { codePrefix: number | null };
  /** The plan of the region's roll for a month: whom it pays, at what amount, who is held. */
  plan(db: Executor, regionCode: string, month: string): Promise<MonthlyRollPlan<Payee, RollMonthEntry, Reason>>;
  /** A held payee as a roll lists it (and keeps it at issue). */
  presentHeld(held: { payee: Payee; reason: Reason; months: string[]; amount: string }): Record<string, unknown>;
  /** The place fields of a transfer as answers show them. */
  presentPlace(transfer: Pick<TransferView, 'placeName' | 'placeCode'>): Record<string, unknown>;
  /** The account number as this actor may see it (masked where the role does not need it). */
  accountNumberFor(actor: Actor, cipher: FieldCipher, sealed: string): string;
  openAccountNumber(cipher: FieldCipher, sealed: string): string;
  /** The payee's child's name, for overpayments: the payee table joined to children. */
  childNamesOfPayees(db: Executor, payeeIds: readonly string[]): Promise<Map<string, string>>;
  /** The child of a payee, with the payee's region. */
  childOfPayee(db: Executor, payeeId: string): Promise<{ childId: string; regionCode: string } | undefined>;
  /**
   * A transfer failed: hold the payee for bank_failure (its months are due again once its account
   * changes). Returns whether a hold was placed (not already held so).
   */
  holdForBankFailure(tx: Transaction, context: RequestContext, hold: { payeeId: string; regionCode: string; rollId: string; transferNo: number; note: string }): Promise<boolean>;
  /** The canonical head and transfer of the frozen roll, over which its SHA-256 is computed. */
  canonical: {
    head(roll: CanonicalRollFacts): object;
    transfer(transfer: TransferView, accountNumber: string, entries: RollEntryView[]): object;
  };
  /** The summary PDF's words: its title, column headings and details. */
  summary: RollSummaryWords;
  /** 摘要 of a transfer in the bank list. */
  bankMemo(months: readonly string[]): string;
}

/** The facts of a frozen roll its canonical head is made of. */
export interface CanonicalRollFacts {
  number: string;
  regionCode: string;
  month: string;
  noticeFrom: string | null;
  noticeTo: string | null;
  issuedAt: string;
  transferCount: number;
  total: string;
  split: Record<string, string>;
  arrearsTotal: string;
}

/** The summary PDF's words: its title, the place column, the split columns and the details block. */
export interface RollSummaryWords {
  title: string;
  groupHeading: string;
  groupWidth: number;
  /** Heading and width per split key, in the split's order. */
  splitColumns: Readonly<Record<string, { heading: string; width: number }>>;
  /** The details block: label and value rows. */
  details(roll: { number: string; regionCode: string; regionName: string | null; issuer: string; month: string; noticeFrom: string | null; noticeTo: string | null; issuedAt: Date; heldCount: number }): [string, string][];
  /** A group's line as printed. */
  groupLabel(group: PlaceFigures): string;
}

export type { AuditAction };
