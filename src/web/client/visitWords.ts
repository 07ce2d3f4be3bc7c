import { CHECK_RESULT_NAMES_ZH, VISIT_CHECK_NAMES_ZH } from '../../domain/protectionVisitRule.js';

// The words of visits and mandatory reports (protection.md §9) in the console: the vocabularies of
// src/domain/protectionVisitRule.ts in Chinese.

export const VISIT_CHECK_NAMES: Record<string, string> = VISIT_CHECK_NAMES_ZH;
export const CHECK_RESULT_NAMES: Record<string, string> = CHECK_RESULT_NAMES_ZH;
export const REPORT_STATUS_NAMES: Record<string, string> = { open: '待确认处理', acknowledged: '已确认处理' };
