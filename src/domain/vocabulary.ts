// The closed vocabularies of the scheme, shared by the database checks, the API schemas and the engine.

export const SERVICES = ['training', 'early_intervention', 'cochlear_implant', 'limb_surgery', 'device'] as const;
export type Service = (typeof SERVICES)[number];

export const CATEGORIES = ['vision', 'hearing', 'speech', 'limb', 'intellectual', 'autism'] as const;
export type Category = (typeof CATEGORIES)[number];

export const DEVICE_KINDS = ['hearing_aid', 'prosthesis_orthosis', 'mobility_aid'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/**
 * auditor (审计管理员): reads the whole audit trail and the access log, changes nothing (security.md §3).
 * township and department work only on children in difficulty (protection.md §1).
 */
export const ROLES = ['admin', 'auditor', 'reviewer', 'finance', 'civil_affairs', 'institution', 'township', 'department'] as const;

/**
 * The roles that act for one region named when the account is made (县残联, 县财政局, 县民政局, and
 * the county departments of protection.md). A township's region is the first 6 digits of its
 * townshipCode.
 */
export const REGION_ROLES: readonly Role[] = ['reviewer', 'finance', 'civil_affairs', 'department'];
export type Role = (typeof ROLES)[number];

/**
 * The roles of the rehabilitation scheme and the care allowance, and the auditor who reads their
 * reference data; township and department users work only on children in difficulty and get 403 on
 * the rest (protection.md §1).
 */
export const SCHEME_ROLES: readonly Role[] = ['admin', 'auditor', 'reviewer', 'finance', 'civil_affairs', 'institution'];

/** The county departments that review children-in-difficulty cases routed to them (protection.md §1). */
export const DEPARTMENTS = ['health', 'education', 'human_resources'] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** Services billed by whole calendar months (periodFrom..periodTo); the others by a single service date. */
export const MONTHLY_SERVICES: readonly Service[] = ['training', 'early_intervention'];

export function isMonthlyService(service: Service): boolean {
  return MONTHLY_SERVICES.includes(service);
}

/** A rule without maxAge uses the category's age limit: limb 7, every other category 14 (domain.md). */
export function defaultMaxAgeYears(category: Category): number {
  return category === 'limb' ? 7 : 14;
}

export const SERVICE_NAMES_ZH: Record<Service, string> = {
  training: '康复训练',
  early_intervention: '早期干预',
  cochlear_implant: '人工耳蜗手术',
  limb_surgery: '肢体矫治手术',
  device: '辅助器具',
};

export const CATEGORY_NAMES_ZH: Record<Category, string> = {
  vision: '视力',
  hearing: '听力',
  speech: '言语',
  limb: '肢体',
  intellectual: '智力',
  autism: '孤独症',
};

export const DEVICE_KIND_NAMES_ZH: Record<DeviceKind, string> = {
  hearing_aid: '助听器',
  prosthesis_orthosis: '假肢、矫形器',
  mobility_aid: '轮椅、坐姿椅、站立架、助行器',
};

/** A claim's status as people read it, in the console and in the claims spreadsheet alike. */
export const CLAIM_STATUS_NAMES_ZH: Record<string, string> = {
  submitted: '待审核',
  approved: '已批准',
  returned: '已退回待修改',
  rejected: '已拒绝',
  withdrawn: '已撤回',
  batched: '已入结算批次',
  paid: '已支付',
};

/** A batch's status as people read it, in the console and in the batch spreadsheets alike. */
export const BATCH_STATUS_NAMES_ZH: Record<string, string> = {
  draft: '草稿（待核对签发）',
  issued: '已签发，待支付',
  paid: '已支付',
  cancelled: '已作废',
};
