// The shapes of the protection programme's answers that the console reads (protection.md §4–7);
// fields it does not read are left out.

import type { OverpaymentBase, OverpaymentFigures, RollBase, RollHeldBase, RollTransferBase } from './types.js';

export interface CaseStep {
  receivedOn: string;
  dueOn: string;
  decidedOn: string | null;
  decidedInTime: boolean | null;
}

export interface Person {
  id: string;
  name: string;
}

export interface ParentFact {
  situation: string;
  since: string;
  until: string | null;
  documents: string[];
}

export interface ProtectionCase {
  id: string;
  number: string;
  childId: string;
  childName: string;
  childIdNumberMasked: string;
  sex: 'male' | 'female';
  birthDate: string;
  townshipName: string;
  villageName: string;
  status: string;
  receivedOn: string;
  receivedBy: Person | null;
  viaVillage: boolean;
  applicant: { name: string; relation: string; phone: string };
  categories: string[];
  severeBasis: string | null;
  schoolingSupport: boolean;
  leftBehind: boolean;
  hivAffected?: boolean;
  parents?: { father: ParentFact[]; mother: ParentFact[] };
  documents: string[];
  bankAccount?: { bank: string; accountName: string; accountNumber: string } | null;
  pendingBankAccount?: { bank: string; accountName: string; accountNumber: string; requestedBy: Person | null; requestedAt: string } | null;
  dueOn: string | null;
  overdue: boolean;
  step: 'township_check' | 'notice' | 'county_review' | null;
  checks: (CaseStep & { id: string; decision: string | null; reason: string | null; noticeFrom: string | null; decidedBy: Person | null })[];
  notices: (CaseStep & { noticeId: string; noticeFrom: string; noticeTo: string; status: string; removed: string | null })[];
  objections: (CaseStep & { id: string; reason: string; on: string; by: Person | null })[];
  reviews: (CaseStep & { id: string; route: string; status: string; decidedBy: Person | null; reason: string | null })[];
  criteria: { versionId: string; on: string; met: string[]; failed: { category: string; rule: string; parent?: string; since?: string; required?: number; actual?: number }[] } | null;
  recognition: {
    recognisedOn: string;
    recognisedBy: Person | null;
    categories: string[];
    categoryHistory: { fromMonth: string; categories: string[] }[];
    livingArrangement: string;
    livingArrangementHistory: { fromMonth: string; livingArrangement: string }[];
    coverFrom: string;
    lastMonth: string;
  } | null;
  refusal: { refusedOn: string; by: string; decidedBy: Person | null; reason: string } | null;
  withdrawal: { withdrawnOn: string; reason: string } | null;
  studying: { school: string; stage: string; expectedGraduation: string; recordedOn: string } | null;
  exit: { reason: string; eventOn: string | null; fromMonth: string; note: string | null } | null;
  holds: { reason: string; note: string | null; since: string | null }[];
  lastVerifiedOn: string | null;
  /** For the township and civil affairs: the case's basic-living months (§8). */
  months?: ChildPaymentMonth[];
  /** A case in care: when the next visit (走访) is due (protection.md §9). */
  nextVisitDue: string | null;
  visitOverdue: boolean;
  reportedChanges: { quarter: string; reportedOn: string; livingArrangement: string | null; categories: string[] | null; note: string | null }[];
}

export interface ProtectionNotice {
  id: string;
  villageCode: string;
  villageName: string;
  townshipName: string;
  noticeFrom: string;
  noticeTo: string;
  status: 'open' | 'closed';
  closeDueOn: string;
  overdue: boolean;
  closedOn: string | null;
  caseIds: string[];
  entries: { caseId: string; number: string; nameMasked: string; categories: string[] }[];
}

export interface QuarterlyStatus {
  townshipCode: string;
  townshipName: string;
  status: 'not_yet_due' | 'due' | 'submitted' | 'overdue';
  submittedOn: string | null;
  late: boolean;
  id: string | null;
  expected: boolean;
  casesInCare: number;
}

/** Where a basic-living payee lives: its village and the village's township. */
interface VillagePlace {
  caseId: string;
  villageCode: string | null;
  villageName: string;
  townshipName: string | null;
}

/** Totals by the standard each month was paid at (protection.md §8). */
export interface ByStandard {
  orphanInstitution: string;
  orphanScattered: string;
  deFactoUnsupported: string;
}

/** A basic-living roll (基本生活费发放名册, protection.md §8): no notice, draft → issued → settled. */
export interface BasicLivingRoll extends RollBase {
  caseCount: number;
  byStandard: ByStandard;
  transfers: (RollTransferBase & VillagePlace)[];
  held: (RollHeldBase & VillagePlace)[];
}

export interface BasicLivingOverpayment extends OverpaymentBase {
  caseId: string;
}

/** `payments` of GET /protection/stats (protection.md §10). */
export interface BasicLivingPayments {
  budget: { budget: string | null; paid: string; remaining: string | null };
  paidByMonth: { month: string; total: string; byStandard: ByStandard }[];
  byStandard: ByStandard;
  arrearsPaid: string;
  heldNow: Record<string, number>;
  overpayments: OverpaymentFigures;
}

/** A child's basic-living money month by month (GET /protection/children/:id/file `payments`). */
export interface ChildPaymentMonth {
  month: string;
  amount: string;
  status: 'paid' | 'in_roll' | 'due' | 'held';
  rollNumber: string | null;
  /** In a roll issued to finance. */
  sent: boolean;
}
