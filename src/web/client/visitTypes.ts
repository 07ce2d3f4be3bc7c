import type { Person } from './protectionTypes.js';

// The shapes of visits (走访) and mandatory reports (强制报告) the console reads (protection.md §9).

export type CheckResult = 'ok' | 'concern' | 'danger';
export type VisitChecks = Record<'guardianship' | 'living' | 'schooling' | 'health' | 'safety', CheckResult>;

export interface Visit {
  id: string;
  caseId: string;
  caseNumber: string;
  childId: string;
  childName: string;
  visitedOn: string;
  visitor: string;
  visitorRole: string;
  checks: VisitChecks;
  note: string | null;
  recordedBy: Person;
  reportId: string | null;
}

export interface Report {
  id: string;
  childId: string;
  childName: string;
  caseId: string | null;
  caseNumber: string | null;
  townshipName: string | null;
  concerns: string[];
  note: string | null;
  raisedAt: string;
  raisedBy: Person;
  status: 'open' | 'acknowledged';
  overdue: boolean;
  acknowledgeBy: string;
  policeNotifiedAt: string | null;
  actionTaken: string | null;
  policeNotified: boolean | null;
  acknowledgedBy: Person | null;
  acknowledgedAt: string | null;
}

export interface RecordedVisit extends Visit {
  report: Report | null;
  instruction: string | null;
  nextVisitDue: string | null;
}

export interface ReportCounts {
  open: number;
  overdue: number;
  oldestOverdueRaisedAt: string | null;
}
