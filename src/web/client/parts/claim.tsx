import { Fragment } from 'preact';
import { formatDate, formatPeriod, formatTimestamp } from '../format.js';
import { href } from '../router.js';
import type { Column } from '../kit/list.js';
import type { Claim } from '../types.js';
import { DueDate, Money, Tag } from '../kit/values.js';
import { CLAIM_STATUS_NAMES, DEDUCTION_FIELDS, HISTORY_ACTION_NAMES, label } from '../words.js';
import { ChildName, InstitutionName } from './names.js';
import { serviceLabel } from './settlement.js';

// A claim as the claim page and the review queue both show it: its facts and its history; and the
// columns every list of claims shows alike.

export function claimPeriod(claim: Pick<Claim, 'periodFrom' | 'periodTo' | 'serviceDate'>): string {
  return claim.serviceDate ? formatDate(claim.serviceDate) : formatPeriod(claim.periodFrom, claim.periodTo);
}

export const claimRefColumn: Column<Claim> = { title: '结算申请号', cell: (claim) => <a href={href(`/claims/${claim.id}`)}>{claim.externalRef}</a> };
export const claimPeriodColumn: Column<Claim> = { title: '服务期间', cell: claimPeriod };
export const claimStatusColumn: Column<Claim> = { title: '状态', cell: (claim) => <Tag code={claim.status} names={CLAIM_STATUS_NAMES} /> };

export function ClaimFacts(props: { claim: Claim; showInstitution: boolean }) {
  const { claim } = props;
  return (
    <dl class="facts">
      <dt>结算申请号</dt>
      <dd>{claim.externalRef}</dd>
      <dt>{claim.decidedOn ? '审核日期' : '办结期限'}</dt>
      <dd>
        {claim.decidedOn ? (
          <>
            {formatDate(claim.decidedOn)}（期限 {formatDate(claim.dueOn)}，{claim.decidedInTime ? '按时' : '超期'}）
          </>
        ) : claim.status === 'submitted' ? (
          <DueDate timing={claim} />
        ) : (
          '—'
        )}
      </dd>
      <dt>儿童</dt>
      <dd>
        <a href={href(`/children/${claim.childId}`)}>
          <ChildName id={claim.childId} />
        </a>
      </dd>
      {props.showInstitution ? (
        <>
          <dt>机构</dt>
          <dd>
            <InstitutionName id={claim.institutionId} />
          </dd>
        </>
      ) : null}
      <dt>救助项目</dt>
      <dd>
        {serviceLabel(claim.service, claim.deviceKind)}
        {claim.freeIssued ? '（免费配发）' : ''}
      </dd>
      <dt>服务期间</dt>
      <dd>
        {claimPeriod(claim)}
        {claim.months ? `（${claim.months} 个月）` : ''}
      </dd>
      <dt>总费用</dt>
      <dd>
        <Money amount={claim.grossCost} />
      </dd>
      {DEDUCTION_FIELDS.map(([name, title]) => (
        <Fragment key={name}>
          <dt>{title}</dt>
          <dd>
            <Money amount={claim.deductions[name]} />
          </dd>
        </Fragment>
      ))}
      <dt>扣除后余额</dt>
      <dd>
        <Money amount={claim.remainder} />
      </dd>
      <dt>机构自审人</dt>
      <dd>{claim.reviewedBy}</dd>
      <dt>状态</dt>
      <dd>
        <Tag code={claim.status} names={CLAIM_STATUS_NAMES} />
      </dd>
    </dl>
  );
}

export function ClaimHistory(props: { claim: Claim }) {
  return (
    <table class="history">
      <caption>办理记录</caption>
      <tbody>
        {props.claim.history.map((event, index) => (
          <tr key={index}>
            <td>{formatTimestamp(event.at)}</td>
            <td>{label(HISTORY_ACTION_NAMES, event.action)}</td>
            <td>{event.note ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
