import { recordAudit } from '../audit/audit.repository.js';
import { recordedYears } from '../calendar/calendar.repository.js';
import { retryingConflicts, type Database, type Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaDate } from '../domain/chinaTime.js';
import { maskName } from '../domain/masks.js';
import { noticeCloseDueOn } from '../domain/protectionDueDates.js';
import { noticeableCategories } from '../domain/protectionRoutesRule.js';
import type { ProtectionCategory } from '../domain/protectionVocabulary.js';
import { WorkingCalendar } from '../domain/workingCalendar.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState, notFound } from '../http/errors.js';
import { decodeCursor, page } from '../http/pagination.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { configuredOfficeName } from '../regions/offices.js';
import { placeOf, regionName } from '../regions/divisions.js';
import { findRegionSettings } from '../regions/regions.repository.js';
import { protectionSettingsOf } from '../regions/protectionSettings.js';
import type { Offload } from '../workers/pool.js';
import { auditCase, changeCase, requireStatus, sendToCounty } from './caseChanges.js';
import { lockCasesInScope, updateCase } from './cases.repository.js';
import { insertCheck } from './caseSteps.repository.js';
import { insertObjection } from './caseSteps.repository.js';
import { townshipOffice } from './offices.js';
import { casesOnNotices, closeNotice, findNoticeInScope, listNoticesInScope, takeCaseOffNotices, type NoticeCaseLine, type NoticeRow } from './notices.repository.js';

// Village notices (公示, protection.md §4.3): a village's list for one period, its PDF, objections
// that send a case back to the township, and closing a notice whose period is over, which sends
// every case still on it to the county. A notice names a child by the masked name and the
// categories outside the region's no-notice list, and nothing else.

function presentNotice(notice: NoticeRow, lines: readonly NoticeCaseLine[], calendar: WorkingCalendar, noNotice: readonly ProtectionCategory[], today: string) {
  const closeDueOn = noticeCloseDueOn(calendar, notice.noticeTo);
  const place = placeOf(notice.villageCode);
  return {
    id: notice.id,
    villageCode: notice.villageCode,
    villageName: place.villageName!,
    townshipCode: notice.townshipCode,
    townshipName: place.townshipName!,
    noticeFrom: notice.noticeFrom,
    noticeTo: notice.noticeTo,
    status: notice.status as 'open' | 'closed',
    closeDueOn,
    overdue: notice.status === 'open' && today > closeDueOn,
    closedOn: notice.closedOn,
    caseIds: lines.map((line) => line.caseId),
    // What the paper in the village says of each case.
    entries: lines.map((line) => ({ caseId: line.caseId, number: line.number, nameMasked: maskName(line.childName), categories: noticeableCategories(line.categories as ProtectionCategory[], noNotice) })),
  };
}

export function createNoticesService(deps: { db: Database; offload: Offload; cipher: FieldCipher }) {
  const { db, offload, cipher } = deps;

  async function reading(executor: Executor, regionCode: string) {
    const [recorded, settings] = [await recordedYears(executor), protectionSettingsOf(await findRegionSettings(executor, regionCode))];
    return { calendar: new WorkingCalendar(recorded), settings };
  }

  async function presentMany(context: RequestContext, notices: NoticeRow[]) {
    const { calendar, settings } = await reading(db, context.actor.regionCode!);
    const lines = await casesOnNotices(
      db,
      notices.map((notice) => notice.id),
    );
    const today = chinaDate(context.now);
    return notices.map((notice) => presentNotice(notice, lines.get(notice.id) ?? [], calendar, settings.noNoticeCategories, today));
  }

  return {
    async list(context: RequestContext, query: { villageCode?: string | undefined; status?: 'open' | 'closed' | undefined; cursor?: string | undefined; limit: number }) {
      const rows = await listNoticesInScope(db, context.actor, { villageCode: query.villageCode, status: query.status, afterId: decodeCursor(query.cursor), limit: query.limit });
      const result = page(rows, query.limit);
      return { items: await presentMany(context, result.items), nextCursor: result.nextCursor };
    },

    async get(context: RequestContext, id: string) {
      const notice = await findNoticeInScope(db, context.actor, id);
      if (!notice) throw notFound('notice');
      return (await presentMany(context, [notice]))[0]!;
    },

    /** The notice as the village posts it: 困境儿童分类认定公示, the cases on it when printed. */
    async pdf(context: RequestContext, id: string) {
      const notice = await findNoticeInScope(db, context.actor, id);
      if (!notice) throw notFound('notice');
      const { settings } = await reading(db, notice.regionCode);
      const lines = (await casesOnNotices(db, [notice.id])).get(notice.id) ?? [];
      const place = placeOf(notice.villageCode);
      const county = regionName(notice.regionCode);
      // Objections go to the county's 民政局 by the name the admin set for documents.
      const civilAffairsOffice = (await configuredOfficeName(db, notice.regionCode, 'civilAffairs')) ?? `${county?.name ?? notice.regionCode}民政局`;
      const pdf = await offload.run('protectionNoticePdf', {
        civilAffairsOffice,
        regionCode: notice.regionCode,
        countyName: county?.name ?? notice.regionCode,
        countyFullName: county?.fullName ?? notice.regionCode,
        townshipName: place.townshipName!,
        townshipOffice: townshipOffice(place.townshipName!),
        villageName: place.villageName!,
        villageCode: notice.villageCode,
        noticeFrom: notice.noticeFrom,
        noticeTo: notice.noticeTo,
        supervisionPhone: settings.supervisionPhone,
        printedAt: context.now.toISOString(),
        entries: lines.map((line) => ({ name: line.childName, categories: noticeableCategories(line.categories as ProtectionCategory[], settings.noNoticeCategories) })),
      });
      return { pdf: Buffer.from(pdf), fileName: `notice-${notice.villageCode}-${notice.noticeFrom}.pdf` };
    },

    /** POST /protection/notices/:id/close: after the period, every case still on it goes to the county. */
    async close(context: RequestContext, id: string) {
      const today = chinaDate(context.now);
      await retryingConflicts(() =>
        db.transaction(async (tx) => {
          const notice = await findNoticeInScope(tx, context.actor, id, { lock: true });
          if (!notice) throw notFound('notice');
          if (notice.status !== 'open') throw invalidState('the notice is closed already');
          if (today <= notice.noticeTo) throw new AppError('NOTICE_PERIOD_NOT_OVER', `the notice runs until ${notice.noticeTo}; close it from the next day on`, [{ noticeTo: notice.noticeTo }]);
          const lines = (await casesOnNotices(tx, [notice.id])).get(notice.id) ?? [];
          const cases = await lockCasesInScope(
            tx,
            cipher,
            context.actor,
            lines.map((line) => line.caseId),
          );
          await closeNotice(tx, notice.id, today, context.actor.id);
          await recordAudit(tx, context, {
            action: 'notice.closed',
            entityType: 'notice',
            entityId: notice.id,
            regionCode: notice.regionCode,
            data: { villageCode: notice.villageCode, noticeFrom: notice.noticeFrom, noticeTo: notice.noticeTo, closedOn: today, caseIds: cases.map((found) => found.record.id) },
          });
          for (const { record } of cases) if (record.status === 'notice') await sendToCounty(tx, context, record, today, 'notice_closed');
        }),
      );
      return this.get(context, id);
    },

    /** POST /protection/cases/:id/objections: the case leaves the notice and goes back to the township. */
    async object(context: RequestContext, caseId: string, reason: string) {
      const today = chinaDate(context.now);
      await changeCase(db, cipher, context, caseId, async (tx, { record }) => {
        requireStatus(record, ['notice'], 'an objection');
        const [noticeId] = await takeCaseOffNotices(tx, record.id, today, 'objection');
        if (!noticeId) throw new Error(`case ${record.id} is in notice but on no notice`);
        const objectionId = newId();
        await insertObjection(tx, { id: objectionId, caseId: record.id, noticeId, reason, on: today, recordedByUserId: context.actor.id, recordedAt: context.now });
        await insertCheck(tx, { id: newId(), caseId: record.id, receivedOn: today, objectionId });
        await updateCase(tx, record.id, { status: 'returned_to_township', stepSince: today });
        await auditCase(tx, context, 'case.objection', record, { noticeId, on: today, reasonWritten: true });
      });
    },
  };
}

export type NoticesService = ReturnType<typeof createNoticesService>;
