import { addMonths } from '../../../domain/calendar.js';
import { formatMonth } from '../format.js';
import type { Column } from '../kit/list.js';
import { href } from '../router.js';
import type { Beneficiary } from '../types.js';

/** The child of a row of the care allowance (a transfer, a hold, an overpayment), linked to the record. */
export function beneficiaryColumn<Row extends { beneficiaryId: string; childName: string }>(): Column<Row> {
  return { title: '姓名', nowrap: true, cell: (row) => <a href={href(`/allowance/beneficiaries/${row.beneficiaryId}`)}>{row.childName}</a> };
}

/** The last month a record pays: the month before its exit's fromMonth (the first month not paid), else its 18th-birthday month. */
export function paidUntil(beneficiary: Beneficiary): string {
  if (!beneficiary.exit) return beneficiary.lastMonth;
  const beforeExit = addMonths(beneficiary.exit.fromMonth, -1);
  return beforeExit < beneficiary.lastMonth ? beforeExit : beneficiary.lastMonth;
}

/** 起止月份 of a record: its first and last paid months, or — when an exit came before its first month. */
export function PaidMonths(props: { beneficiary: Beneficiary; separator: string }) {
  const until = paidUntil(props.beneficiary);
  if (until < props.beneficiary.startMonth) return <>—</>;
  return (
    <>
      {formatMonth(props.beneficiary.startMonth)}
      {props.separator}
      {formatMonth(until)}
    </>
  );
}
