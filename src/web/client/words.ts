import { EVIDENCE_KIND_NAMES_ZH } from '../../domain/evidence.js';
import { RELATION_NAMES_ZH } from '../../domain/protectionVocabulary.js';
import { BATCH_STATUS_NAMES_ZH, CLAIM_STATUS_NAMES_ZH, DEVICE_KIND_NAMES_ZH } from '../../domain/vocabulary.js';

// Every word the console shows for a code of the API: roles, statuses, services, reasons, and
// what each error means to a clerk. The codes are those of api.md.

export const ROLE_NAMES: Record<string, string> = {
  admin: '系统管理员',
  auditor: '审计管理员',
  reviewer: '残联审核人员',
  finance: '财政局经办人员',
  civil_affairs: '民政局经办人员',
  institution: '定点康复机构',
  township: '乡镇（街道）经办人员',
  department: '县直部门复核人员',
};

/** The county departments of the protection of children in difficulty. */
export const DEPARTMENT_NAMES: Record<string, string> = { health: '县卫生健康局', education: '县教育局', human_resources: '县人力资源和社会保障局' };

export const SERVICE_NAMES: Record<string, string> = {
  training: '康复训练',
  early_intervention: '早期干预',
  cochlear_implant: '人工耳蜗手术',
  limb_surgery: '肢体矫治手术',
  device: '辅助器具适配',
};

export const SERVICES = Object.keys(SERVICE_NAMES);
export const MONTHLY_SERVICES = ['training', 'early_intervention'];

export const CATEGORY_NAMES: Record<string, string> = {
  vision: '视力残疾',
  hearing: '听力残疾',
  speech: '言语残疾',
  limb: '肢体残疾',
  intellectual: '智力残疾',
  autism: '孤独症',
};

export const DEVICE_KIND_NAMES: Record<string, string> = DEVICE_KIND_NAMES_ZH;

export const RELATION_NAMES: Record<string, string> = {
  father: '父亲',
  mother: '母亲',
  grandfather: '祖父/外祖父',
  grandmother: '祖母/外祖母',
  grandparent: '祖父母/外祖父母',
  guardian: '其他监护人',
};

/** A guardian's or applicant's relation in words: the console's choices, else the programmes' wider list, else as typed. */
export const relationLabel = (relation: string) => RELATION_NAMES[relation] ?? RELATION_NAMES_ZH[relation] ?? relation;

// The same words as the spreadsheets the service writes.
export const CLAIM_STATUS_NAMES = CLAIM_STATUS_NAMES_ZH;
export const BATCH_STATUS_NAMES = BATCH_STATUS_NAMES_ZH;

export const APPLICATION_STATUS_NAMES: Record<string, string> = {
  pending: '待审批',
  approved: '已批准（已转介）',
  rejected: '未批准',
};

export const TIER_NAMES: Record<string, string> = { care: '关爱补贴（每月 30 元）', nursing_supplement: '护理补贴提标（每月 10 元）' };

export const BENEFICIARY_STATUS_NAMES: Record<string, string> = { pending: '待审核', active: '在册', ended: '已满 18 周岁', rejected: '未通过', exited: '已退出' };

export const HOLD_REASON_NAMES: Record<string, string> = {
  bank_failure: '转账失败，待更换账户',
  manual: '人工暂停',
  objection: '公示异议',
  review_overdue: '逾期未复核',
};

export const EXIT_REASON_NAMES: Record<string, string> = { death: '死亡', moved_out: '迁出', certificate_revoked: '残疾证注销', other: '其他' };

export const MONTH_STATUS_NAMES: Record<string, string> = { paid: '已发放', in_roll: '已列入名册', due: '待发放', held: '暂停待发', not_covered: '补贴标准施行前，不发放' };

export const ROLL_STATUS_NAMES: Record<string, string> = {
  draft: '草稿',
  published: '公示中',
  issued: '已交付财政',
  settled: '已发放完毕',
  cancelled: '已作废',
};

export const TRANSFER_STATUS_NAMES: Record<string, string> = { pending: '待转账', paid: '成功', failed: '失败' };

export const OVERPAYMENT_STATUS_NAMES: Record<string, string> = {
  open: '待追回',
  partially_recovered: '部分追回',
  recovered: '已追回',
  waived: '已核销',
  cancelled: '已撤销',
  refund_due: '多退款待退还',
  refunded: '已退还',
};

export const RECONCILIATION_STATUS_NAMES: Record<string, string> = {
  matched: '一致',
  amount_mismatch: '金额不符',
  missing_in_system: '系统中无此申报',
  missing_in_statement: '台账未列',
};

export const REASON_NAMES: Record<string, string> = {
  MONTHLY_LIMIT: '按月救助标准封顶',
  ANNUAL_LIMIT: '按年度救助标准封顶',
  ANNUAL_LIMIT_REACHED: '本年度救助额度已用完',
  ONCE_PER_CHILD_LIMIT: '按一次性救助标准封顶',
  ONCE_PER_CHILD_USED: '一次性救助已享受过',
  FREE_ISSUED: '免费配发，不予补助',
  ADJUSTED_BY_REVIEWER: '审核人员核减',
};

export const LIMIT_NAMES: Record<string, string> = {
  MONTHLY_LIMIT: '每月标准',
  ANNUAL_LIMIT: '年度标准',
  ONCE_PER_CHILD_LIMIT: '一次性标准',
};

export const STEP_NAMES: Record<string, string> = {
  grossCost: '总费用',
  basicMedicalInsurance: '减：基本医疗保险',
  criticalIllnessInsurance: '减：大病保险',
  supplementaryCriticalIllnessInsurance: '减：大病补充保险',
  medicalAid: '减：医疗救助',
  cap: '按救助标准封顶',
  reviewerAdjustment: '审核核减',
};

export const DEDUCTION_FIELDS = [
  ['basicMedicalInsurance', '基本医疗保险已支付'],
  ['criticalIllnessInsurance', '大病保险已支付'],
  ['supplementaryCriticalIllnessInsurance', '大病补充保险已支付'],
  ['medicalAid', '医疗救助已支付'],
] as const;

export const HISTORY_ACTION_NAMES: Record<string, string> = {
  submitted: '提交申报',
  resubmitted: '修改后重新提交',
  approved: '审核批准',
  rejected: '审核拒绝',
  returned: '退回修改',
  withdrawn: '机构撤回',
  batched: '列入结算批次',
  paid: '已支付',
  attachment_added: '上传佐证材料',
  attachment_removed: '删除佐证材料',
};

export const EVIDENCE_KIND_NAMES: Record<string, string> = EVIDENCE_KIND_NAMES_ZH;

/** Field names as the form labels them, for validation errors. */
export const FIELD_NAMES: Record<string, string> = {
  externalRef: '结算申请号',
  childId: '儿童',
  childIdNumber: '儿童身份证号',
  service: '救助项目',
  deviceKind: '辅具类别',
  periodFrom: '开始月份',
  periodTo: '结束月份',
  serviceDate: '服务日期',
  freeIssued: '免费配发',
  grossCost: '总费用',
  'deductions.basicMedicalInsurance': '基本医疗保险已支付',
  'deductions.criticalIllnessInsurance': '大病保险已支付',
  'deductions.supplementaryCriticalIllnessInsurance': '大病补充保险已支付',
  'deductions.medicalAid': '医疗救助已支付',
  reviewedBy: '机构自审人',
  receivedOn: '受理日期',
  claimIds: '所选申报',
  amount: '金额',
  note: '说明',
  reason: '原因',
  idNumber: '身份证号',
  name: '姓名',
  regionCode: '地区代码',
  category: '残疾类别',
  certificateNo: '残疾证号',
  'guardian.name': '监护人姓名',
  'guardian.relation': '监护人关系',
  'guardian.phone': '监护人电话',
  year: '年度',
  services: '救助项目',
  institutionId: '机构',
  approvedThrough: '批准截止日期',
  voucherNo: '付款凭证号',
  paidAt: '付款日期',
  from: '起始月份',
  to: '截止月份',
  lines: '对账明细',
  code: '机构编码',
  role: '角色',
  effectiveFrom: '生效日期',
  rules: '救助规则',
  'bankAccount.bank': '开户银行',
  'bankAccount.accountName': '账户名称',
  'bankAccount.accountNumber': '银行账号',
  date: '退出日期',
  kind: '材料类别',
  transferNo: '序号',
  result: '结果',
  fileName: '文件名',
};

/** What each error code of the API means, in the words of the people who meet it. */
export const ERROR_MESSAGES: Record<string, string> = {
  VALIDATION_FAILED: '填写的内容有误，请按下面的提示修改后再提交。',
  UNAUTHENTICATED: '登录已失效，请重新登录。',
  WEAK_PASSWORD: '密码不符合要求，请按下面的提示修改。',
  ACCOUNT_LOCKED: '登录失败次数过多，该账号在这台电脑上已被暂时锁定。',
  OTP_REQUIRED: '该账号已开启动态验证码，请输入手机验证器上显示的 6 位数字。',
  RATE_LIMITED: '这台电脑登录失败的次数过多，请稍后再试。',
  FORBIDDEN: '您的账号没有权限进行此项操作。',
  NOT_FOUND: '找不到这条记录：它可能不存在，或不属于您的机构或辖区。',
  METHOD_NOT_ALLOWED: '系统不支持这项操作。',
  ALREADY_EXISTS: '该记录已经存在，无需重复登记。',
  DUPLICATE_EXTERNAL_REF: '这个结算申请号已用于另一份内容不同的申报。请换一个申请号，或先查看原来的申报。',
  DUPLICATE_SERVICE_PERIOD: '该儿童在所填的月份（或日期）已经申报过同一救助项目，同一月份不能重复申报。',
  INVALID_STATE: '这条记录的当前状态不允许此项操作，可能已被他人处理。请刷新后查看最新状态。',
  INELIGIBLE_AGE: '儿童的年龄超出了该救助项目的年龄范围。',
  CATEGORY_NOT_COVERED: '该儿童的残疾类别不在此救助项目的范围内。',
  SERVICE_NOT_YET_DELIVERED: '服务尚未发生：不能申报当月之后的月份或今天之后的日期。',
  NOT_REFERRED: '本机构没有该儿童本年度此救助项目的转介批准。请先由残联审批该儿童的救助申请并指定本机构。',
  SERVICE_NOT_DESIGNATED: '该机构未被指定提供此项救助服务。',
  AFTER_DROPOUT: '该儿童已中途退出救助，不能申报或批准退出日期之后的服务；请退回机构按实际月份更正。',
  DEDUCTIONS_EXCEED_GROSS: '医保、大病保险和医疗救助已支付的金额合计超过了总费用，请核对。',
  PERIOD_CROSSES_YEAR: '服务期间不能跨年度，请按自然年分开申报。',
  APPROVAL_EXCEEDS_ENTITLEMENT: '批准金额超过了按救助标准可以给予的金额，请核对。',
  AMOUNT_MISMATCH: '付款金额与批次合计金额不一致（或追回、退还的金额超过了尚欠、应退的金额），未作任何更改。请核对付款凭证上的金额。',
  EVIDENCE_MISSING: '该申报缺少本地区要求的佐证材料（如考勤表、发票），补齐后方可批准。',
  NO_CERTIFICATE: '该儿童没有登记残疾证号，持证残疾儿童才能纳入关爱补贴。请先补登残疾证。',
  NOTICE_PERIOD_NOT_OVER: '公示期尚未结束，公示期满后才能进行下一步。',
  CRITERIA_NOT_MET: '不符合认定条件：下面列出了未满足的具体条款（如父母失联未满6个月）。条件满足后可再认定，或作不予认定。',
  FOUR_EYES_REQUIRED: '经办与审核须由两人分别完成：这一步请由本单位另一位同事办理（经办人不能自己审核）。',
  BULK_REFUSED: '文件中有未通过检查的行，整个文件均未导入。请修改标出的行后重新上传。',
  PAYLOAD_TOO_LARGE: '文件太大，请拆分后分批上传。',
  UNSUPPORTED_MEDIA_TYPE: '文件格式不支持：名单请上传 Excel（.xlsx）或 CSV 文件，佐证材料请上传 PDF、JPG 或 PNG 文件。',
  SERVICE_UNAVAILABLE: '系统正忙，请稍后再试。',
  INTERNAL_ERROR: '系统出现内部错误，请稍后再试；如仍不行，请把下面的请求编号告诉管理员。',
  NETWORK: '无法连接到服务器，请检查网络后重试。',
};

export function errorMessage(code: string): string {
  return ERROR_MESSAGES[code] ?? '操作未成功，请稍后再试。';
}

/**
 * A refusal in the words of the people who meet it: what the service itself says stands in the way
 * (a `hint` not tied to a field: "2026年12月名册已存在…"), the evidence kinds a claim lacks, or the
 * code's general words.
 */
export function refusalWords(error: { code: string; details: unknown[] }): string {
  const details = error.details.filter((detail): detail is { hint?: string; field?: string | null; row?: number; kind?: string } => Boolean(detail) && typeof detail === 'object');
  const own = details.filter((detail) => detail.hint && !detail.field && detail.row === undefined).map((detail) => detail.hint!);
  if (error.code !== 'VALIDATION_FAILED' && own.length > 0) return own.join(' ');
  const kinds = details.map((detail) => detail.kind).filter((kind): kind is string => typeof kind === 'string');
  if (error.code === 'EVIDENCE_MISSING' && kinds.length > 0) return `缺少佐证材料：${kinds.map((kind) => label(EVIDENCE_KIND_NAMES, kind)).join('、')}。请退回机构补传后再批准。`;
  return errorMessage(error.code);
}

/** A validation detail's field in form words: "deductions.medicalAid" → "医疗救助已支付". */
export function fieldName(field: string | null | undefined): string | null {
  if (!field) return null;
  if (FIELD_NAMES[field]) return FIELD_NAMES[field]!;
  // Rows of a list ("rules.0.annualLimit", "lines.3.amount") are named by their number.
  const row = /^(\w+)\.(\d+)\.?(.*)$/.exec(field);
  if (row) return `${FIELD_NAMES[row[1]!] ?? row[1]}第 ${Number(row[2]) + 1} 行${row[3] ? ` ${FIELD_NAMES[row[3]] ?? row[3]}` : ''}`;
  return field;
}

export const label = (names: Record<string, string>, code: string | null | undefined) => (code ? (names[code] ?? code) : '—');

/** What a row of the access log records. */
export const ACCESS_ACTION_NAMES: Record<string, string> = { read: '查看', search: '查询', download: '下载', export: '导出' };
