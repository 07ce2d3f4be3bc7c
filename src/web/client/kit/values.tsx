import type { ComponentChildren } from 'preact';
import { formatDate, formatMoney } from '../format.js';
import type { Timing } from '../types.js';
import { label } from '../words.js';

// Values as every page shows them: money, a status as a coloured tag, a due date, a bank account,
// a figure of a summary.

export function Money(props: { amount: string | null | undefined; strong?: boolean }) {
  const text = formatMoney(props.amount);
  return props.strong ? <strong class="money">{text}</strong> : <span class="money">{text}</span>;
}

export function Tag(props: { code: string; names: Record<string, string> }) {
  return <span class={`tag tag-${props.code}`}>{label(props.names, props.code)}</span>;
}

/**
 * A review deadline in words: the due date, marked 逾期 while the work waits past it; once decided,
 * whether the decision came in time.
 */
export function DueDate(props: { timing: Timing }) {
  const { timing } = props;
  return (
    <span class="due-date">
      {formatDate(timing.dueOn)}
      {timing.overdue ? <span class="tag tag-overdue">逾期</span> : null}
      {timing.decidedInTime === false ? <span class="tag tag-late">超期办结</span> : null}
    </span>
  );
}

/** A bank account on one line: bank, account name, number (masked or not, as the API gave it). */
export function BankAccount(props: { account: { bank: string; accountName: string; accountNumber: string } }) {
  const { account } = props;
  return (
    <>
      {account.bank} {account.accountName} {account.accountNumber}
    </>
  );
}

/** A figure of a summary: its label (a link when `link`), the figure, and what explains it. */
export function Figure(props: { label: ComponentChildren; link?: string; value?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <div class="figure">
      {props.link ? (
        <a href={props.link} class="figure-label">
          {props.label}
        </a>
      ) : (
        <span class="figure-label">{props.label}</span>
      )}
      {props.value === undefined ? null : <strong>{props.value}</strong>}
      {props.children}
    </div>
  );
}
