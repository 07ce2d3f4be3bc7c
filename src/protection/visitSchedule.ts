import type { Executor } from '../db/client.js';
import { caseEnded } from '../domain/protectionAgeRule.js';
import { visitScheduleOn, type VisitCadenceMonths, type VisitSchedule } from '../domain/protectionVisitRule.js';
import type { LivingArrangement, ProtectionCategory } from '../domain/protectionVocabulary.js';
import type { CaseWithChild } from './cases.repository.js';
import { stepsOfCases } from './caseSteps.repository.js';
import { inForceIn } from './caseView.js';
import { lastVisitsOf } from './visits.repository.js';

// When the recognised children of a region or township are next due a visit (protection.md §9):
// the cadence of the categories and living arrangement in force this month, from the latest visit
// or else the recognition.

/** The schedules of many cases, their histories and latest visits read in one go; cases not in care are absent. */
export async function visitSchedulesOf(db: Executor, cases: readonly CaseWithChild[], cadence: VisitCadenceMonths, today: string): Promise<Map<string, VisitSchedule>> {
  const month = today.slice(0, 7);
  const caring = cases.filter(({ record }) => record.status === 'recognised' && record.lastMonth !== null && !caseEnded(record.lastMonth, month));
  const ids = caring.map(({ record }) => record.id);
  const [steps, lastVisits] = await Promise.all([stepsOfCases(db, ids), lastVisitsOf(db, ids)]);
  const categoryRows = byCase(steps.categories);
  const livingRows = byCase(steps.living);
  const schedules = new Map<string, VisitSchedule>();
  for (const { record } of caring) {
    const categories = (inForceIn(categoryRows.get(record.id) ?? [], month)?.categories ?? record.categories) as ProtectionCategory[];
    const livingArrangement = (inForceIn(livingRows.get(record.id) ?? [], month)?.livingArrangement ?? 'scattered') as LivingArrangement;
    const schedule = visitScheduleOn({ inCare: true, recognisedOn: record.recognisedOn, categories, livingArrangement, lastVisitedOn: lastVisits.get(record.id) ?? null }, cadence, today);
    if (schedule) schedules.set(record.id, schedule);
  }
  return schedules;
}

/** Rows grouped by their case, in the order read. */
export function byCase<Row extends { caseId: string }>(rows: readonly Row[]): Map<string, Row[]> {
  const grouped = new Map<string, Row[]>();
  for (const row of rows) {
    const list = grouped.get(row.caseId);
    if (list) list.push(row);
    else grouped.set(row.caseId, [row]);
  }
  return grouped;
}
