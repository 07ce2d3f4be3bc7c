// The closed vocabularies of the protection of children in difficulty (困境儿童保障, protection.md),
// shared by the database checks, the API schemas, the rules, the documents and the console.

/** 困境类别 (§3). */
export const PROTECTION_CATEGORIES = [
  'orphan',
  'de_facto_unsupported',
  'severe_illness_disability',
  'extreme_poverty',
  'poor_family',
  'guardianship_lacking',
  'temporary',
] as const;
export type ProtectionCategory = (typeof PROTECTION_CATEGORIES)[number];

export const PROTECTION_CATEGORY_NAMES_ZH: Record<ProtectionCategory, string> = {
  orphan: '孤儿',
  de_facto_unsupported: '事实无人抚养儿童',
  severe_illness_disability: '重病重残儿童',
  extreme_poverty: '特困供养儿童',
  poor_family: '贫困家庭儿童',
  guardianship_lacking: '监护缺失儿童',
  temporary: '临时困境儿童',
};

/** The short names of the quarterly report's columns (§6). */
export const PROTECTION_CATEGORY_SHORT_NAMES_ZH: Record<ProtectionCategory, string> = {
  orphan: '孤儿',
  de_facto_unsupported: '事实无人抚养',
  severe_illness_disability: '重病重残',
  extreme_poverty: '特困供养',
  poor_family: '贫困家庭',
  guardianship_lacking: '监护缺失',
  temporary: '临时困境',
};

/**
 * The seeded default of protectionNoNoticeCategories (§4.2): a village must not read that a child is
 * an orphan, unsupported, gravely ill or disabled, or abused.
 */
export const DEFAULT_NO_NOTICE_CATEGORIES: readonly ProtectionCategory[] = ['orphan', 'de_facto_unsupported', 'severe_illness_disability', 'guardianship_lacking'];

/** Which of the severe illness or disability grounds (重病重残) a case claims. */
export const SEVERE_BASES = ['disability', 'illness', 'both'] as const;
export type SevereBasis = (typeof SEVERE_BASES)[number];

/** A parent's situation on a fact (父母情况, §3). */
export const PARENT_SITUATIONS = [
  'dead',
  'declared_missing',
  'missing',
  'severe_disability',
  'serious_illness',
  'imprisoned',
  'drug_rehab',
  'deprived_of_liberty',
  'guardianship_revoked',
  'deported',
  'able',
] as const;
export type ParentSituation = (typeof PARENT_SITUATIONS)[number];

export const PARENT_SITUATION_NAMES_ZH: Record<ParentSituation, string> = {
  dead: '死亡',
  declared_missing: '宣告失踪',
  missing: '失联',
  severe_disability: '重残',
  serious_illness: '重病',
  imprisoned: '服刑在押',
  drug_rehab: '强制隔离戒毒',
  deprived_of_liberty: '被执行其他限制人身自由措施',
  guardianship_revoked: '被撤销监护资格',
  deported: '被遣送（驱逐）出境',
  able: '具备抚养能力',
};

export const PARENTS = ['father', 'mother'] as const;
export type Parent = (typeof PARENTS)[number];
export const PARENT_NAMES_ZH: Record<Parent, string> = { father: '父亲', mother: '母亲' };

/** The states of a case (§4); `ended` is derived from the date, never stored (§5). */
export const CASE_STATUSES = ['received', 'notice', 'returned_to_township', 'county_review', 'recognised', 'refused', 'withdrawn', 'exited'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type PresentedCaseStatus = CaseStatus | 'ended';
export const OPEN_CASE_STATUSES = ['received', 'notice', 'returned_to_township', 'county_review'] as const satisfies readonly CaseStatus[];
export type OpenCaseStatus = (typeof OPEN_CASE_STATUSES)[number];

export const CASE_STATUS_NAMES_ZH: Record<PresentedCaseStatus, string> = {
  received: '乡镇受理',
  notice: '公示中',
  returned_to_township: '异议退回',
  county_review: '县级复核',
  recognised: '已认定',
  refused: '不予认定',
  withdrawn: '已撤回',
  exited: '已退出',
  ended: '已满18周岁（待退出）',
};

/** The offices of the county review (§4.4). */
export const REVIEW_ROUTES = ['civil_affairs', 'reviewer', 'health', 'education', 'human_resources'] as const;
export type ReviewRoute = (typeof REVIEW_ROUTES)[number];

/** The office of a route, as the refusal letter names it after the county's name (§4.6). */
export const REVIEW_ROUTE_OFFICES_ZH: Record<ReviewRoute, string> = {
  civil_affairs: '民政局',
  reviewer: '残疾人联合会',
  health: '卫生健康局',
  education: '教育局',
  human_resources: '人力资源和社会保障局',
};

export const LIVING_ARRANGEMENTS = ['scattered', 'institution'] as const;
export type LivingArrangement = (typeof LIVING_ARRANGEMENTS)[number];
export const LIVING_ARRANGEMENT_NAMES_ZH: Record<LivingArrangement, string> = { scattered: '散居', institution: '机构养育' };

/** 退出原因 (§5). */
export const EXIT_REASONS = ['age_18', 'adopted', 'parent_resumed_care', 'parent_released', 'family_improved', 'recovered', 'death', 'moved_out', 'other'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];
export const EXIT_REASON_NAMES_ZH: Record<ExitReason, string> = {
  age_18: '年满18周岁',
  adopted: '依法被收养',
  parent_resumed_care: '父母重新履行抚养义务',
  parent_released: '刑满释放、强制戒毒结束',
  family_improved: '家庭状况改善',
  recovered: '疾病治愈',
  death: '死亡',
  moved_out: '户籍迁出',
  other: '其他',
};

/** The stage of schooling that extends cover past 18 (§5). */
export const STUDY_STAGES = ['high_school', 'vocational_high_school', 'secondary_vocational', 'junior_college', 'bachelor'] as const;
export type StudyStage = (typeof STUDY_STAGES)[number];
export const STUDY_STAGE_NAMES_ZH: Record<StudyStage, string> = {
  high_school: '高中',
  vocational_high_school: '职高',
  secondary_vocational: '中专',
  junior_college: '大学专科',
  bachelor: '本科',
};

/** Where cover starts after recognition (region setting protectionCoverFrom, §4.5). */
export const COVER_FROM_RULES = ['next_month', 'recognition_month', 'received_month'] as const;
export type CoverFromRule = (typeof COVER_FROM_RULES)[number];

/** Holds a case can carry (§8.4); review_overdue is derived from lastVerifiedOn, never stored. */
export const CASE_HOLD_REASONS = ['bank_failure', 'exit_reported', 'manual'] as const;
export type CaseHoldReason = (typeof CASE_HOLD_REASONS)[number];

/** A quarterly update's result for one case (§6). */
export const QUARTERLY_RESULTS = ['confirmed', 'changed', 'exited'] as const;
export type QuarterlyResult = (typeof QUARTERLY_RESULTS)[number];
export const QUARTERLY_RESULT_NAMES_ZH: Record<QuarterlyResult, string> = { confirmed: '确认', changed: '变更', exited: '退出' };

/** The basic-living standards (protection.md §8) by the names a roll's `byStandard` gives them. */
export const STANDARD_NAMES_ZH: Record<'orphanInstitution' | 'orphanScattered' | 'deFactoUnsupported', string> = {
  orphanInstitution: '机构养育孤儿',
  orphanScattered: '散居孤儿',
  deFactoUnsupported: '事实无人抚养儿童',
};

/** A guardian's or applicant's relation as typed: the usual English words in Chinese, anything else as it is. */
export const RELATION_NAMES_ZH: Record<string, string> = {
  father: '父亲',
  mother: '母亲',
  grandfather: '祖父',
  grandmother: '祖母',
  maternal_grandfather: '外祖父',
  maternal_grandmother: '外祖母',
  uncle: '叔伯',
  aunt: '姑姨',
  sibling: '兄姐',
  guardian: '监护人',
  other: '其他',
};

export function relationName(relation: string): string {
  return RELATION_NAMES_ZH[relation] ?? relation;
}
