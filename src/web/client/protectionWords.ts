import {
  CASE_STATUS_NAMES_ZH,
  EXIT_REASON_NAMES_ZH,
  LIVING_ARRANGEMENT_NAMES_ZH,
  PARENT_SITUATION_NAMES_ZH,
  PROTECTION_CATEGORY_NAMES_ZH,
  QUARTERLY_RESULT_NAMES_ZH,
  REVIEW_ROUTE_OFFICES_ZH,
  STANDARD_NAMES_ZH,
  STUDY_STAGE_NAMES_ZH,
} from '../../domain/protectionVocabulary.js';

// The words of the protection programme's pages: the closed vocabularies of src/domain/ in Chinese,
// and the few the console adds.

export const PROTECTION_CATEGORY_NAMES: Record<string, string> = PROTECTION_CATEGORY_NAMES_ZH;
export const CASE_STATUS_NAMES: Record<string, string> = CASE_STATUS_NAMES_ZH;
export const EXIT_REASON_NAMES: Record<string, string> = EXIT_REASON_NAMES_ZH;
export const LIVING_NAMES: Record<string, string> = LIVING_ARRANGEMENT_NAMES_ZH;
export const SITUATION_NAMES: Record<string, string> = PARENT_SITUATION_NAMES_ZH;
export const STAGE_NAMES: Record<string, string> = STUDY_STAGE_NAMES_ZH;
export const QUARTERLY_RESULT_NAMES: Record<string, string> = QUARTERLY_RESULT_NAMES_ZH;
export const ROUTE_NAMES: Record<string, string> = { ...REVIEW_ROUTE_OFFICES_ZH, civil_affairs: '民政局', reviewer: '残联' };
export const SEVERE_BASIS_NAMES: Record<string, string> = { disability: '重残', illness: '重病', both: '重病且重残' };
export const REVIEW_STATUS_NAMES: Record<string, string> = { pending: '待复核', approved: '同意', refused: '不同意', closed: '终止' };
export const CHECK_DECISION_NAMES: Record<string, string> = { agree: '同意', refuse: '不同意', withdrawn: '撤回' };
export const QUARTER_STATUS_NAMES: Record<string, string> = { not_yet_due: '未到报送期', due: '待报送', submitted: '已报送', overdue: '逾期未报' };
export const HOLD_NAMES: Record<string, string> = {
  bank_failure: '银行退回，待更换账户',
  exit_reported: '报告退出待核',
  manual: '人工暂停',
  review_overdue: '超期未复核',
  no_account: '未提供银行账户',
};
export const STANDARD_NAMES: Record<string, string> = STANDARD_NAMES_ZH;
export const STEP_NAMES: Record<string, string> = { township_check: '乡镇核查', notice: '村级公示', county_review: '县级复核' };
export const RULE_NAMES: Record<string, string> = {
  no_qualifying_situation: '父母均不符合事实无人抚养情形',
  both_absent: '父母双方均死亡或宣告失踪（应认定为孤儿）',
  'extreme_poverty.underAge': '年龄已满特困供养上限',
};

/** A failed rule of CRITERIA_NOT_MET in words: 母亲 失联 满6个月（实际5个月）. */
export function ruleText(failed: { rule: string; parent?: string; required?: number; actual?: number }): string {
  const parent = failed.parent === 'father' ? '父亲' : failed.parent === 'mother' ? '母亲' : '';
  if (RULE_NAMES[failed.rule]) return `${parent}${RULE_NAMES[failed.rule]}${failed.rule === 'extreme_poverty.underAge' ? `（${failed.actual} 周岁）` : ''}`;
  const [situation, minimum] = failed.rule.split('.');
  const what = minimum === 'minTermMonths' ? '期限' : '持续时间';
  return `${parent}${SITUATION_NAMES[situation!] ?? situation}${what}不满 ${failed.required} 个月（实际 ${failed.actual} 个月）`;
}
