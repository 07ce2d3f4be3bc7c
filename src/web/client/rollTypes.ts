// The shapes of the monthly programmes' answers the console reads: a care allowance beneficiary,
// a roll and its transfers and held payees (either programme's), overpayments and the payment
// figures of a dashboard. Fields the console does not read are left out.

export interface Person {
  id: string;
  name: string;
}

export interface Beneficiary {
  id: string;
  childId: string;
  childName: string;
  status: string;
  tier: string;
  tiers: { fromMonth: string; tier: string }[];
  acceptedOn: string;
  acceptedBy: string;
  community: { name: string; code: string | null };
  bankAccount: { bank: string; accountName: string; accountNumber: string };
  /** A change of account one user asked for, until another confirms it (security.md §2). */
  pendingBankAccount: { bank: string; accountName: string; accountNumber: string; requestedBy: Person; requestedAt: string } | null;
  /** Who enrolled it (报送): another civil affairs officer approves it. */
  enrolledBy: Person;
  startMonth: string;
  lastMonth: string;
  lastVerifiedOn: string | null;
  holds: { reason: string; note: string | null; since: string | null }[];
  rejectionReason: string | null;
  exit: { reason: string; fromMonth: string; note: string | null } | null;
  months: { month: string; status: string; amount: string; rollId: string | null; rollNumber: string | null }[];
}

/** What every programme's monthly roll answers (src/monthlyRoll/roll.schemas.ts): its head and figures. */
export interface RollBase {
  id: string;
  number: string;
  month: string;
  status: string;
  entryCount: number;
  total: string;
  totalInWords: string;
  arrearsTotal: string;
  sha256: string | null;
  issuedAt: string | null;
  /** Who built it (经办人) and who issued it (审核人): two different civil affairs officers. */
  builtBy: Person;
  issuedBy: Person | null;
}

/** A transfer of a roll after its payee and place. */
export interface RollTransferBase {
  transferNo: number;
  childName: string;
  accountName: string;
  accountNumber: string;
  bank: string;
  months: string[];
  amount: string;
  status: string;
  failureReason: string | null;
}

/** A payee the roll holds back, with the months and money waiting. */
export interface RollHeldBase {
  childName: string;
  reason: string;
  months: string[];
  amount: string;
}

export interface Roll extends RollBase {
  noticeFrom: string | null;
  noticeTo: string | null;
  beneficiaryCount: number;
  byFund: { county: string; hardship: string };
  transfers: (RollTransferBase & { beneficiaryId: string; community: string })[];
  held: (RollHeldBase & { beneficiaryId: string })[];
  objections: { beneficiaryId: string; childName: string; reason: string; at: string }[];
}

/** Money recovered from or paid back to a family (a voucher's amount and date). */
export interface MoneyMovement {
  amount: string;
  on: string;
  voucherNo: string;
  recordedAt: string;
}

/** An overpayment of any programme (应退尽退); the programme names its payee (beneficiaryId, caseId). */
export interface OverpaymentBase {
  id: string;
  childName: string;
  months: string[];
  amount: string;
  recovered: string;
  remaining: string;
  refunded: string;
  refundDue: string;
  status: string;
  waiveReason: string | null;
  /** A waiver one civil affairs officer asked for, until another confirms it. */
  pendingWaiver: { reason: string; requestedBy: Person; requestedAt: string } | null;
  recoveries: MoneyMovement[];
  refunds: MoneyMovement[];
}

export interface Overpayment extends OverpaymentBase {
  beneficiaryId: string;
}

/** What is owed back on a programme's overpayments: left to recover, recovered (less refunds), owed to families. */
export interface OverpaymentFigures {
  open: string;
  recovered: string;
  refundDue: string;
}

export interface AllowanceStats {
  funds: Record<'county' | 'hardship', { budget: string | null; paid: string; remaining: string | null }>;
  active: { care: number; nursingSupplement: number };
  arrearsPaid: string;
  heldNow: Record<string, number>;
  overpayments: OverpaymentFigures;
}

/** One event of the audit trail (GET /audit). */
