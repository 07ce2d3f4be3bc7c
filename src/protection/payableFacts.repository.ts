import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { children, protectionCaseCategories, protectionCaseHolds, protectionCaseLiving, protectionCases } from '../db/schema.js';
import type { ProtectionPaymentFacts } from '../domain/protectionPaymentRule.js';
import type { CaseHoldReason, LivingArrangement, ProtectionCategory } from '../domain/protectionVocabulary.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { villageName } from '../regions/divisions.js';
import { openProtection } from './caseSecrets.js';
import { byCase } from './visitSchedule.js';
import { mapInSlices } from '../monthlyRoll/slices.js';

// What the basic-living rolls (protection.md §8) need of a region's recognised and exited cases, in
// four statements whatever the number of cases (a province holds some 20,000): the cases with their
// children, then the categories history, the living-arrangement history and the open holds of all
// of them, each joined on the same condition rather than listed by id. Only hivAffected is opened
// here; the account number stays sealed (field `protection.bank_account_number`) until a roll's
// bank list needs it, and the parents' facts and the applicant's phone are never read.

/** One case as a roll takes it: the rule's facts (src/domain/protectionPaymentRule.ts) and what a transfer shows. */
export interface PayableCaseFacts {
  caseId: string;
  caseNumber: string;
  status: 'recognised' | 'exited';
  childId: string;
  childName: string;
  /** The case's township and village (where it was received; the township's scope). */
  townshipCode: string;
  villageCode: string;
  /** From the division table; an unknown code reads as itself. */
  villageName: string;
  lastVerifiedOn: string | null;
  /** The stored holds still open (review_overdue is derived from lastVerifiedOn by the caller). */
  openHolds: CaseHoldReason[];
  /** The confirmed account (a pending change is not paid to until confirmed); null when none. */
  bank: { bankName: string; accountName: string; accountNumberSealed: string } | null;
  facts: ProtectionPaymentFacts;
}

/** The recognised and exited cases of a region (of one child of it with `childId`), by township code, village code, child name (code point order) and case id. */
export async function payableFactsOfRegion(db: Executor, cipher: FieldCipher, regionCode: string, options: { childId?: string } = {}): Promise<PayableCaseFacts[]> {
  const ofRegion: SQL = and(
    eq(protectionCases.regionCode, regionCode),
    inArray(protectionCases.status, ['recognised', 'exited']),
    options.childId === undefined ? undefined : eq(protectionCases.childId, options.childId),
  )!;
  const [cases, categoryRows, livingRows, holdRows] = await Promise.all([
    db
      .select({
        caseId: protectionCases.id,
        caseNumber: protectionCases.number,
        status: protectionCases.status,
        childId: children.id,
        childName: children.name,
        townshipCode: protectionCases.townshipCode,
        villageCode: protectionCases.villageCode,
        coverFrom: protectionCases.coverFrom,
        lastMonth: protectionCases.lastMonth,
        exitFromMonth: protectionCases.exitFromMonth,
        lastVerifiedOn: protectionCases.lastVerifiedOn,
        caseCategories: protectionCases.categories,
        hivAffectedSealed: protectionCases.hivAffectedSealed,
        bankName: protectionCases.bankName,
        bankAccountName: protectionCases.bankAccountName,
        bankAccountNumberSealed: protectionCases.bankAccountNumberSealed,
      })
      .from(protectionCases)
      .innerJoin(children, eq(children.id, protectionCases.childId))
      .where(ofRegion)
      // The order transfers are numbered in (§8 item 5); "C" compares UTF-8 bytes, so code points.
      .orderBy(asc(protectionCases.townshipCode), asc(protectionCases.villageCode), sql`${children.name} collate "C"`, asc(protectionCases.id)),
    db
      .select({ caseId: protectionCaseCategories.caseId, fromMonth: protectionCaseCategories.fromMonth, categories: protectionCaseCategories.categories })
      .from(protectionCaseCategories)
      .innerJoin(protectionCases, eq(protectionCases.id, protectionCaseCategories.caseId))
      .where(ofRegion)
      .orderBy(asc(protectionCaseCategories.caseId), asc(protectionCaseCategories.fromMonth)),
    db
      .select({ caseId: protectionCaseLiving.caseId, fromMonth: protectionCaseLiving.fromMonth, livingArrangement: protectionCaseLiving.livingArrangement })
      .from(protectionCaseLiving)
      .innerJoin(protectionCases, eq(protectionCases.id, protectionCaseLiving.caseId))
      .where(ofRegion)
      .orderBy(asc(protectionCaseLiving.caseId), asc(protectionCaseLiving.fromMonth)),
    db
      .select({ caseId: protectionCaseHolds.caseId, reason: protectionCaseHolds.reason })
      .from(protectionCaseHolds)
      .innerJoin(protectionCases, eq(protectionCases.id, protectionCaseHolds.caseId))
      .where(and(ofRegion, isNull(protectionCaseHolds.releasedAt)))
      .orderBy(asc(protectionCaseHolds.placedAt)),
  ]);

  const categoriesByCase = byCase(categoryRows);
  const livingByCase = byCase(livingRows);
  const holdsByCase = byCase(holdRows);

  // Opening hivAffected is a decryption a case: a province's 20,000 are mapped in slices, other requests run between.
  return mapInSlices(cases, (found): PayableCaseFacts => ({
    caseId: found.caseId,
    caseNumber: found.caseNumber,
    status: found.status as 'recognised' | 'exited',
    childId: found.childId,
    childName: found.childName,
    townshipCode: found.townshipCode,
    villageCode: found.villageCode,
    villageName: villageName(found.villageCode) ?? found.villageCode,
    lastVerifiedOn: found.lastVerifiedOn,
    openHolds: (holdsByCase.get(found.caseId) ?? []).map((hold) => hold.reason as CaseHoldReason),
    bank:
      found.bankAccountNumberSealed !== null
        ? { bankName: found.bankName!, accountName: found.bankAccountName!, accountNumberSealed: found.bankAccountNumberSealed }
        : null,
    facts: {
      // Set for every recognised or exited case (protection_cases_recognised_check).
      coverFrom: found.coverFrom!,
      lastMonth: found.lastMonth!,
      exitFromMonth: found.exitFromMonth,
      hivAffected: openProtection(cipher, 'hivAffected', found.hivAffectedSealed) === 'true',
      categories: (categoriesByCase.get(found.caseId) ?? []).map((row) => ({ fromMonth: row.fromMonth, categories: row.categories as ProtectionCategory[] })),
      living: (livingByCase.get(found.caseId) ?? []).map((row) => ({ fromMonth: row.fromMonth, livingArrangement: row.livingArrangement as LivingArrangement })),
      caseCategories: found.caseCategories as ProtectionCategory[],
    },
  }));
}
