import type { ApplicationRow } from '../applications/applications.repository.js';
import type { ChildRow } from '../children/children.repository.js';
import { idNumberLookup } from '../children/childSecrets.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import type { Executor } from '../db/client.js';
import { formatMoney } from '../domain/money.js';
import type { ClaimInput } from './claimInput.js';
import { findClaimByExternalRef, findClaimsByExternalRefs, type ClaimRow } from './claims.repository.js';
import {
  findChildById,
  findChildIdByIdNumberLookup,
  findChildIdsByIdNumberLookups,
  findChildrenByIds,
  findReferrals,
  findReferralsOfChildren,
  heldMonths,
  heldMonthsOfChildren,
  usageOf,
  usageOfChildren,
} from './ledgers.repository.js';
import { UsageLedger } from './usageLedger.js';

/**
 * What the checks of a submission read. A single submission reads the database as each check
 * needs it; a chunk of an upload reads what all its rows need in a few statements and then answers
 * from memory, seeing each row it accepted as the next row's checks would see it committed (its
 * reference used, its months held), so that the rows are answered as if submitted one by one.
 */
export interface SubmissionReads {
  claimByExternalRef(externalRef: string): Promise<Pick<ClaimRow, 'id' | 'contentFingerprint'> | undefined>;
  childIdByIdNumber(idNumber: string): Promise<string | undefined>;
  child(id: string): Promise<ChildRow | undefined>;
  referrals(childId: string, year: number, service: string): Promise<Pick<ApplicationRow, 'droppedOutOn'>[]>;
  heldMonths(childId: string, service: string, months: string[], exceptClaimId: string | null): Promise<string[]>;
  usage(childId: string, service: string, deviceKind: string | null, year: number): Promise<{ thisYear: string; ever: string }>;
  /** A claim accepted earlier in the same chunk. */
  accepted(claim: Pick<ClaimRow, 'id' | 'externalRef' | 'contentFingerprint' | 'childId' | 'service'>, months: string[]): void;
}

export function directReads(tx: Executor, institutionId: string, cipher: FieldCipher): SubmissionReads {
  return {
    claimByExternalRef: (externalRef) => findClaimByExternalRef(tx, institutionId, externalRef),
    childIdByIdNumber: (idNumber) => findChildIdByIdNumberLookup(tx, idNumberLookup(cipher, idNumber)),
    child: (id) => findChildById(tx, id),
    referrals: (childId, year, service) => findReferrals(tx, childId, institutionId, year, service),
    heldMonths: (childId, service, months, exceptClaimId) => heldMonths(tx, childId, service, months, exceptClaimId),
    usage: (childId, service, deviceKind, year) => usageOf(tx, childId, service, deviceKind, year),
    // One submission at a time: nothing to remember.
    accepted: () => {},
  };
}

/** Reads what a chunk of submissions needs, all at once; see SubmissionReads. */
export async function readAhead(tx: Executor, institutionId: string, cipher: FieldCipher, inputs: { externalRef: string; input: ClaimInput }[]): Promise<SubmissionReads> {
  const lookupOf = new Map(inputs.flatMap(({ input }) => ('idNumber' in input.childRef ? [[input.childRef.idNumber, idNumberLookup(cipher, input.childRef.idNumber)] as const] : [])));
  const [claimsByRef, idsByLookup] = await Promise.all([
    findClaimsByExternalRefs(tx, institutionId, [...new Set(inputs.map((item) => item.externalRef))]),
    findChildIdsByIdNumberLookups(tx, [...new Set(lookupOf.values())]),
  ]);
  const byRef = new Map<string, Pick<ClaimRow, 'id' | 'contentFingerprint'>>(claimsByRef.map((row) => [row.externalRef, row]));
  const byLookup = new Map(idsByLookup.map((row) => [row.lookup!, row.id]));
  const byNumber = new Map([...lookupOf].flatMap(([idNumber, lookup]) => (byLookup.has(lookup) ? [[idNumber, byLookup.get(lookup)!] as const] : [])));
  const childIds = [...new Set([...inputs.flatMap(({ input }) => ('id' in input.childRef ? [input.childRef.id] : [])), ...byNumber.values()])];
  const [childRows, referralRows, heldRows, usageRows] = await Promise.all([
    findChildrenByIds(tx, childIds),
    findReferralsOfChildren(tx, childIds),
    heldMonthsOfChildren(tx, childIds),
    usageOfChildren(tx, childIds),
  ]);
  const childrenById = new Map(childRows.map((row) => [row.id, row]));
  const heldBy = new Map(heldRows.map((row) => [`${row.childId}|${row.service}|${row.month}`, row.claimId]));
  const ledger = new UsageLedger(usageRows);
  return {
    claimByExternalRef: async (externalRef) => byRef.get(externalRef),
    childIdByIdNumber: async (idNumber) => byNumber.get(idNumber),
    child: async (id) => childrenById.get(id),
    referrals: async (childId, year, service) =>
      referralRows.filter((row) => row.childId === childId && row.institutionId === institutionId && row.year === year && row.services.includes(service)),
    heldMonths: async (childId, service, months, exceptClaimId) =>
      months.filter((month) => {
        const holder = heldBy.get(`${childId}|${service}|${month}`);
        return holder !== undefined && holder !== exceptClaimId;
      }).sort(),
    usage: async (childId, service, deviceKind, year) => {
      const { thisYear, ever } = ledger.of(childId, service, deviceKind, year);
      return { thisYear: formatMoney(thisYear), ever: formatMoney(ever) };
    },
    accepted(claim, months) {
      byRef.set(claim.externalRef, claim);
      for (const month of months) heldBy.set(`${claim.childId}|${claim.service}|${month}`, claim.id);
    },
  };
}
