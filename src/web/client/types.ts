import type { Timing } from '../../domain/timing.js';

// The shapes of the API's answers that the console reads (api.md); fields it does not read are left out.

export interface User {
  id: string;
  name: string;
  role: 'admin' | 'auditor' | 'reviewer' | 'finance' | 'civil_affairs' | 'institution' | 'township' | 'department';
  regionCode: string | null;
  institutionId: string | null;
  /** A township user's 乡镇 / 街道 (9 digits). */
  townshipCode?: string | null;
  /** A department user's county department. */
  department?: 'health' | 'education' | 'human_resources' | null;
  /** Signed in with BOOTSTRAP_ADMIN_TOKEN, which stops once a personal admin is created. */
  bootstrap?: boolean;
  disabledAt?: string | null;
  createdAt?: string;
}

export interface Institution {
  id: string;
  code: string;
  name: string;
  regionCode: string;
  services: string[];
  bankAccount: { bank: string; accountName: string; accountNumber: string };
  /** A change of the account one admin asked for, until another admin confirms it. */
  pendingBankAccount?: { bank: string; accountName: string; accountNumber: string; requestedBy: { id: string; name: string }; requestedAt: string } | null;
}

export interface Child {
  id: string;
  idNumber: string;
  name: string;
  regionCode: string;
  category: string | null;
  certificateNo: string | null;
  villageCode?: string | null;
  townshipName?: string | null;
  villageName?: string | null;
  birthDate: string;
  sex: 'male' | 'female';
  guardian: { name: string; relation: string; phone: string };
  registeredByInstitutionId: string | null;
  certificateIssuedOn?: string | null;
  closedAt: string | null;
  closedReason: string | null;
}

export interface Entitlements {
  childId: string;
  year: number;
  items: {
    service: string;
    deviceKind: string | null;
    annualLimit: string | null;
    monthlyLimit: string | null;
    oncePerChildLimit: string | null;
    maxAge: number;
    usedThisYear: string;
    usedEver: string;
    remaining: string | null;
    pending: string;
  }[];
}

export interface Step {
  label: string;
  amount: string;
  balance: string;
}

export interface AppliedLimit {
  code: string;
  limit: string;
  months: number | null;
  used: string | null;
  figure: string;
  binding: boolean;
}

export interface Preview {
  /** What a submission would be refused for now (error codes of the API); empty when it would be accepted. */
  warnings?: { code: string; message: string; details: unknown[] }[];
  remainder: string;
  cap: string;
  subsidy: string;
  reasons: string[];
  steps: Step[];
  limits?: AppliedLimit[];
}

export interface Claim extends Timing {
  id: string;
  externalRef: string;
  institutionId: string;
  childId: string;
  regionCode: string;
  category: string;
  service: string;
  deviceKind: string | null;
  periodFrom: string | null;
  periodTo: string | null;
  months: number | null;
  serviceDate: string | null;
  freeIssued: boolean;
  grossCost: string;
  deductions: Record<string, string>;
  remainder: string;
  status: string;
  reviewedBy: string;
  estimate: { cap: string; subsidy: string; reasons: string[] };
  approvedAmount: string | null;
  settlement: (Preview & { approvedAmount: string; note: string | null; approvedAt: string }) | null;
  batchId: string | null;
  /** The evidence kinds the region requires that no attached file is yet. */
  evidenceMissing: string[];
  submittedAt: string;
  history: { at: string; action: string; by: string | null; note: string | null }[];
}

/** The review deadline the API gives applications and claims. */
export type { Timing };

export interface Attachment {
  id: string;
  claimId: string;
  kind: string;
  fileName: string;
  contentType: string;
  bytes: number;
  sha256: string;
  uploadedAt: string;
}

export interface BatchLine {
  claimId: string;
  externalRef: string;
  childName: string;
  idNumberMasked: string;
  category: string;
  service: string;
  period: string;
  grossCost: string;
  deductionsTotal: string;
  remainder: string;
  approvedAmount: string;
}

export interface Batch {
  id: string;
  number: string;
  regionCode: string;
  institutionId: string;
  status: string;
  claimCount: number;
  total: string;
  totalInWords?: string;
  sha256: string | null;
  issuedAt: string | null;
  paidAt: string | null;
  voucherNo: string | null;
  /** Who built it (经办人) and who issued it (审核人): two different reviewers. */
  builtBy?: { id: string; name: string };
  issuedBy?: { id: string; name: string } | null;
  lines?: BatchLine[];
  /** The payee as it stood when the batch was made: what the cashier pays to. */
  payee?: { code: string; name: string; bank: string; accountName: string; accountNumber: string };
}

export interface Application extends Timing {
  id: string;
  childId: string;
  year: number;
  services: string[];
  /** The guardian's preferred institution, as filed. */
  preferredInstitutionId: string | null;
  /** The institution the child is referred to, once approved. */
  institutionId: string | null;
  status: string;
  rejectionReason: string | null;
  droppedOutOn: string | null;
  createdAt: string;
}

export interface BulkResult {
  summary: { created: number; existing: number; refused: number };
  results: {
    row: number;
    fileRow?: number;
    status: string;
    claimId?: string | null;
    childId?: string | null;
    error: { code: string; message: string; details: unknown[] } | null;
    /** The row's 结算申请号 (or ID number), to name it to the clerk. */
    reference?: string | null;
    /** A refused row of an uploaded file, as the file had it. */
    cells?: Record<string, string>;
  }[];
}

export interface Reconciliation {
  id: string;
  /** 511702-DZ-2026-3 */
  number: string;
  institutionId?: string;
  from?: string;
  to?: string;
  summary: {
    matched: number;
    amountMismatch: number;
    missingInSystem: number;
    missingInStatement: number;
    statementTotal: string;
    approvedTotal: string;
    paidTotal: string;
  };
  lines: { externalRef: string; childName: string | null; status: string; statementAmount: string | null; approvedAmount: string | null; claimStatus: string | null; claimId: string | null }[];
}

export interface Policy {
  id: string;
  name: string;
  effectiveFrom: string;
  regionCode: string | null;
  rules: {
    service: string;
    deviceKind?: string | null;
    categories: string[] | null;
    annualLimit?: string | null;
    monthlyLimit?: string | null;
    oncePerChildLimit?: string | null;
    maxAge?: number | null;
  }[];
  createdAt?: string;
  status: 'pending' | 'approved' | 'withdrawn';
  createdBy: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
}

export interface Totals {
  total: string;
  byService: { service: string; total: string }[];
  byMonth: { month: string; total: string }[];
}

export interface Stats {
  regionCode: string;
  year: number;
  asOf: string;
  children: { aided: number; target: number; targetIsDefault: boolean; percentOfTarget: string };
  approved: Totals;
  paid: Totals;
  waitingForReview: { count: number; total: string; oldestDays: number | null; byAge: { days: string; count: number }[] };
  batchesWaitingForPayment: { count: number; total: string; oldestDays: number | null };
  timeliness: Record<'applications' | 'claims', { decided: number; decidedInTime: number; overdueNow: number }>;
  budget: { budget: string | null; approved: string; paid: string; remaining: string | null };
}

export type ApprovalResult =
  | { claimId: string; status: 'approved'; approvedAmount: string; estimate: string; remainder: string; reasons: string[] }
  | { claimId: string; status: 'refused'; error: { code: string; message: string; details: unknown[] } };

/** The answer of POST /claims/approve and of its preview. */
export interface BulkApproval {
  summary: { approved: number; refused: number; total: string };
  results: ApprovalResult[];
}

/** What every page of the console is given: who is signed in and where the page is. */
export interface PageProps {
  user: User;
  /** An institution user's own institution, read once at sign-in; null for the other roles. */
  institution: Institution | null;
  /** The path of the page, without its query. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
}

/** A user named in a record: who asked for, built, confirmed or issued something. */
// The monthly programmes' records, rolls and overpayments (the care allowance, basic living).
export * from './rollTypes.js';

export interface AuditEvent {
  id: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string;
  regionCode: string | null;
  data: Record<string, unknown>;
}

/** One row of the access log (GET /access-log). */
export interface AccessLogEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  action: 'read' | 'search' | 'download' | 'export';
  entityType: string;
  entityId: string | null;
  filter: Record<string, unknown> | null;
  clientAddress: string | null;
}

/** GET /audit/verify: the sealed chain recomputed. */
export interface AuditVerification {
  ok: boolean;
  sealed: number;
  pending: number;
  problem: { kind: string; auditId: string | null; seq: number | null; message: string } | null;
}
