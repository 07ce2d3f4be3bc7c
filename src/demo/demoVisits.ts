import { chinaDate } from '../domain/chinaTime.js';

// Visits (走访) and mandatory reports (强制报告) in the demo county (protection.md §9): the townships'
// recognised children visited over the past months — most on time, some now overdue, one never
// visited since recognition — a danger found last month, reported, the police called and
// acknowledged by civil affairs; and one found yesterday whose report civil affairs has not yet
// acknowledged (open and overdue: the banner on every civil affairs screen).

type Call = <T = any>(credential: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => Promise<T>;

const VISITORS = ['王芳', '李春梅', '张建国', '陈秀兰'];
const allOk = { guardianship: 'ok', living: 'ok', schooling: 'ok', health: 'ok', safety: 'ok' };

export async function seedVisits(scene: { call: Call; at: (date: string) => void; townships: string[]; civilAffairs: string; now: Date }): Promise<void> {
  const { call, at, townships, civilAffairs, now } = scene;
  const daysAgo = (days: number) => chinaDate(new Date(now.getTime() - days * 86_400_000));
  at(daysAgo(0));
  let sequence = 0;
  const visit = (clerk: string, caseId: string, days: number, checks: Record<string, string> = allOk, note: string | null = null) => {
    at(daysAgo(days));
    sequence += 1;
    return call<{ report: { id: string } | null }>(clerk, 'POST', '/protection/visits', { caseId, visitedOn: daysAgo(days), visitor: VISITORS[sequence % VISITORS.length], visitorRole: '儿童主任', checks, note });
  };

  for (const [index, clerk] of townships.entries()) {
    const cases = (await call<{ items: { id: string; recognition: { recognisedOn: string } }[] }>(clerk, 'GET', '/protection/cases?status=recognised&limit=500')).items;
    for (const [position, kase] of cases.entries()) {
      // The last case of the second township is never visited after recognition: overdue.
      if (index === 1 && position === cases.length - 1) continue;
      // Two visits each: one about two months ago, one recent for every other case (the rest are overdue now).
      await visit(clerk, kase.id, 62 + position, allOk, '监护人照料尚可');
      if (position % 2 === 0) await visit(clerk, kase.id, 12 + position, position === 0 ? { ...allOk, schooling: 'concern' } : allOk, position === 0 ? '近期缺课较多，已联系学校' : null);
    }
    if (index === 0 && cases.length > 1) {
      // Last month: danger found, the police called from the village before the visit was recorded, acknowledged by civil affairs.
      const past = await visit(clerk, cases[1]!.id, 30, { ...allOk, guardianship: 'danger' }, '监护人酗酒后将儿童独自锁在家中');
      await call(clerk, 'POST', `/protection/reports/${past.report!.id}/police`, { at: `${daysAgo(30)}T09:40:00+08:00` });
      at(daysAgo(30));
      await call(civilAffairs, 'POST', `/protection/reports/${past.report!.id}/acknowledge`, { actionTaken: '已报派出所，由祖母临时照料，村儿童主任每周走访', policeNotified: true });
      // Yesterday: danger on safety, the police called; civil affairs has not acknowledged it.
      const open = await visit(clerk, cases[cases.length - 1]!.id, 1, { ...allOk, safety: 'danger', health: 'concern' }, '儿童身上有多处新伤，称系继父殴打');
      await call(clerk, 'POST', `/protection/reports/${open.report!.id}/police`, { at: `${daysAgo(1)}T09:25:00+08:00` });
    }
  }
}
