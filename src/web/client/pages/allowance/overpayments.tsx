import { beneficiaryColumn } from '../../parts/allowance.js';
import { OverpaymentList } from '../../parts/overpayments.js';
import type { Overpayment, PageProps } from '../../types.js';

// 应退款 of the care allowance: what was paid after an exit, recovered or waived (parts/overpayments).

export function OverpaymentsPage(props: PageProps) {
  return <OverpaymentList<Overpayment> title="应退款（退出后多发）" path="/allowance/overpayments" payee={beneficiaryColumn()} user={props.user} />;
}
