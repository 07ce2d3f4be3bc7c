import { addMonths } from '../../../../domain/calendar.js';
import { api } from '../../api.js';
import { formatDate, formatMonth } from '../../format.js';
import { useAsync } from '../../kit/data.js';
import { DownloadButton } from '../../kit/download.js';
import { Table } from '../../kit/list.js';
import { RecordPending } from '../../kit/notices.js';
import { Money, Tag } from '../../kit/values.js';
import type { ChildPaymentMonth, ProtectionCase } from '../../protectionTypes.js';
import { CASE_STATUS_NAMES, PROTECTION_CATEGORY_NAMES, QUARTERLY_RESULT_NAMES } from '../../protectionWords.js';
import { href } from '../../router.js';
import type { Child, PageProps } from '../../types.js';
import { label, MONTH_STATUS_NAMES, relationLabel } from '../../words.js';

// 一人一档: a child's file as the township and civil affairs keep it — the child, every case, the
// quarterly updates, the basic-living money month by month — and the registration form 困境儿童信息登记表 to print.

interface ChildFile {
  child: Child;
  cases: ProtectionCase[];
  quarterlyUpdates: { caseId: string; quarter: string; submittedOn: string; result: string; changes: { note?: string | null } | null; exit: { reason: string } | null }[];
  payments: ChildPaymentMonth[];
}

export function ProtectionChildFilePage(props: PageProps) {
  const id = props.params.id!;
  const file = useAsync(() => api.get<ChildFile>(`/protection/children/${id}/file`), [id]);
  const data = file.data;
  if (!data) return <RecordPending record={file} />;
  const { child } = data;
  return (
    <section>
      <h1>{child.name} · 一人一档</h1>
      <dl class="facts" data-testid="child-facts">
        <dt>身份证号</dt>
        <dd>{child.idNumber}</dd>
        <dt>出生日期</dt>
        <dd>{formatDate(child.birthDate)}</dd>
        <dt>乡镇（街道）/ 村（社区）</dt>
        <dd>
          {child.townshipName ?? '—'} {child.villageName ?? ''}
        </dd>
        <dt>监护人</dt>
        <dd>
          {child.guardian.name}（{relationLabel(child.guardian.relation)}） {child.guardian.phone}
        </dd>
      </dl>
      <p>
        <DownloadButton path={`/protection/children/${id}/file.pdf`} fallbackName="困境儿童信息登记表.pdf">
          打印信息登记表
        </DownloadButton>
      </p>
      <h2>认定情况</h2>
      <Table
        rows={data.cases}
        testId="file-cases"
        columns={[
          { title: '编号', cell: (kase) => <a href={href(`/protection/cases/${kase.id}`)}>{kase.number}</a> },
          { title: '受理日期', cell: (kase) => formatDate(kase.receivedOn) },
          { title: '类别', cell: (kase) => (kase.recognition?.categories ?? kase.categories).map((category) => label(PROTECTION_CATEGORY_NAMES, category)).join('、') },
          { title: '状态', cell: (kase) => <Tag code={kase.status} names={CASE_STATUS_NAMES} /> },
          { title: '保障期间', cell: (kase) => (kase.recognition ? `${formatMonth(kase.recognition.coverFrom)}—${formatMonth(kase.exit ? addMonths(kase.exit.fromMonth, -1) : kase.recognition.lastMonth)}` : '—') },
        ]}
      />
      <h2>动态更新</h2>
      {data.quarterlyUpdates.length === 0 ? (
        <p class="empty">暂无季度更新记录。</p>
      ) : (
        <Table
          rows={data.quarterlyUpdates}
          rowKey={(update) => `${update.caseId}-${update.quarter}`}
          columns={[
            { title: '季度', cell: (update) => update.quarter },
            { title: '报送日期', cell: (update) => formatDate(update.submittedOn) },
            { title: '结果', cell: (update) => label(QUARTERLY_RESULT_NAMES, update.result) },
            { title: '说明', cell: (update) => update.changes?.note ?? '' },
          ]}
        />
      )}
      <h2>基本生活费发放</h2>
      <PaymentMonths months={data.payments} testId="file-payments" />
    </section>
  );
}

/** A child's or a case's basic-living months (§7, §8): paid or in a roll with its number, else due or held. */
export function PaymentMonths(props: { months: readonly ChildPaymentMonth[]; testId: string }) {
  if (props.months.length === 0) return <p class="empty">没有应发的基本生活费月份。</p>;
  return (
    <Table
      rows={[...props.months]}
      testId={props.testId}
      rowKey={(payment) => `${payment.month}/${payment.rollNumber ?? ''}`}
      columns={[
        { title: '月份', cell: (payment) => formatMonth(payment.month) },
        { title: '金额', num: true, cell: (payment) => <Money amount={payment.amount} /> },
        { title: '状态', cell: (payment) => <Tag code={payment.status} names={MONTH_STATUS_NAMES} /> },
        { title: '名册编号', cell: (payment) => payment.rollNumber ?? '—' },
      ]}
    />
  );
}
