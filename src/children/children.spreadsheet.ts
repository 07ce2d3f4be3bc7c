import { CATEGORY_NAMES_ZH } from '../domain/vocabulary.js';
import { mapColumns, type UploadedRow } from '../http/uploads.js';

// The column layout of a children spreadsheet (批量登记儿童), Chinese headers or field names.

export const CHILD_COLUMNS = {
  idNumber: ['身份证号'],
  name: ['姓名'],
  regionCode: ['地区代码', '户籍地区代码'],
  category: ['残疾类别'],
  certificateNo: ['残疾证号'],
  guardianName: ['监护人姓名'],
  guardianRelation: ['监护人关系'],
  guardianPhone: ['监护人电话'],
} as const;

export const REQUIRED_CHILD_COLUMNS = ['idNumber', 'name', 'regionCode', 'category', 'guardianName', 'guardianRelation', 'guardianPhone'];

/** A spreadsheet row as the JSON body of POST /children. */
export function childBodyOfRow(row: UploadedRow): Record<string, unknown> {
  const cells = mapColumns(row.cells, CHILD_COLUMNS);
  const category = cells.category ? (Object.entries(CATEGORY_NAMES_ZH).find(([, name]) => name === cells.category)?.[0] ?? cells.category) : undefined;
  return {
    idNumber: cells.idNumber,
    name: cells.name,
    regionCode: cells.regionCode,
    category,
    ...(cells.certificateNo ? { certificateNo: cells.certificateNo } : {}),
    guardian: { name: cells.guardianName, relation: cells.guardianRelation, phone: cells.guardianPhone },
  };
}
