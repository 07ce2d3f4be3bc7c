import type { Column } from '../kit/list.js';
import { href } from '../router.js';

/** The child of a row of the care allowance (a transfer, a hold, an overpayment), linked to the record. */
export function beneficiaryColumn<Row extends { beneficiaryId: string; childName: string }>(): Column<Row> {
  return { title: '姓名', cell: (row) => <a href={href(`/allowance/beneficiaries/${row.beneficiaryId}`)}>{row.childName}</a> };
}
