import { formatMoney } from '../format.js';
import { REASON_NAMES } from '../words.js';

// What a reviewer must see before money is approved: an amount of 0.00, or one less than the
// institution was told at submission, is flagged with the rule that binds, in words. A zero
// approval stays legal (domain.md: capped to zero is not an error), but never a silent one.

/** Cents of a money string, exactly (no floating point). */
const cents = (amount: string) => {
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
};

/** The rules that bind an amount, in Chinese ("本年度救助额度已用完"); the monthly cap of a training month is ordinary and said only when asked. */
export function bindingRules(reasons: string[], options: { ordinary?: boolean } = {}): string {
  const shown = options.ordinary ? reasons : reasons.filter((reason) => reason !== 'MONTHLY_LIMIT');
  return shown.map((reason) => REASON_NAMES[reason] ?? reason).join('；');
}

/**
 * The flag of an approval's amount, or null when it is what the institution expected: zero, or less
 * than the estimate given at submission (another approval used the child's limit meanwhile).
 */
export function amountFlag(amount: string, estimate: string, reasons: string[]): { kind: 'zero' | 'reduced'; text: string } | null {
  const rules = bindingRules(reasons, { ordinary: true });
  if (cents(amount) === 0n) return { kind: 'zero', text: `零元批准：${rules || '按标准无可补助金额'}` };
  if (cents(amount) < cents(estimate)) return { kind: 'reduced', text: `少于提交时预计的 ${formatMoney(estimate)}：${rules || '已用额度增加'}` };
  return null;
}

/** The flag as the page shows it, beside the amount. */
export function AmountFlag(props: { amount: string; estimate: string; reasons: string[] }) {
  const flag = amountFlag(props.amount, props.estimate, props.reasons);
  if (!flag) return null;
  return (
    <span class={`amount-flag amount-flag-${flag.kind}`} data-testid="amount-flag">
      {flag.text}
    </span>
  );
}
