import { api } from '../../api.js';
import { useAsync } from '../../kit/data.js';
import type { Column } from '../../kit/list.js';
import { RecordPending } from '../../kit/notices.js';
import { Money } from '../../kit/values.js';
import { OverpaymentList } from '../../parts/overpayments.js';
import { HeldTable, ResultsUpload, RollDecision, RollDownloads, RollHead, RollListPage, TransferTable } from '../../parts/rolls.js';
import type { BasicLivingOverpayment, BasicLivingRoll } from '../../protectionTypes.js';
import { HOLD_NAMES, STANDARD_NAMES } from '../../protectionWords.js';
import { href } from '../../router.js';
import type { PageProps, User } from '../../types.js';

// The basic-living money of children in difficulty (基本生活费, protection.md §8): its monthly rolls,
// built by one civil affairs officer and issued by another, paid by finance from the summary and
// the bank list; and its overpayments. No notice step (privacy); the place is the village and its
// township; the bank list's 摘要 is the service's (months only, never a category).

const ROLLS = '/protection/rolls';

/** The child of a row: civil affairs opens the case; finance, who reads no case, sees the name. */
function caseColumn<Row extends { caseId: string; childName: string }>(user: User): Column<Row> {
  return {
    title: '姓名',
    nowrap: true,
    cell: (row) => (user.role === 'civil_affairs' ? <a href={href(`/protection/cases/${row.caseId}`)}>{row.childName}</a> : row.childName),
  };
}

function villageColumns<Row extends { townshipName: string | null; villageName: string }>(): Column<Row>[] {
  return [
    { title: '乡镇（街道）', nowrap: true, wide: true, cell: (row) => row.townshipName ?? '—' },
    { title: '村（社区）', cell: (row) => row.villageName },
  ];
}

export function BasicLivingRollsPage(props: PageProps) {
  return (
    <RollListPage<BasicLivingRoll>
      title="困境儿童基本生活费发放名册"
      api={ROLLS}
      page={ROLLS}
      user={props.user}
      payeeCount={(roll) => roll.caseCount}
      columns={[
        { title: '其中补发', num: true, wide: true, cell: (roll) => <Money amount={roll.arrearsTotal} /> },
        { title: '经办 / 审核', wide: true, cell: (roll) => `${roll.builtBy.name} / ${roll.issuedBy?.name ?? '—'}` },
      ]}
    />
  );
}

export function BasicLivingRollPage(props: PageProps) {
  const id = props.params.id!;
  const path = `${ROLLS}/${id}`;
  const loaded = useAsync(() => api.get<BasicLivingRoll>(path), [id]);
  const roll = loaded.data;
  if (!roll) return <RecordPending record={loaded} />;
  const { role } = props.user;
  return (
    <section>
      <RollHead
        roll={roll}
        payeeCount={roll.caseCount}
        split={
          <>
            {STANDARD_NAMES.orphanInstitution} <Money amount={roll.byStandard.orphanInstitution} />，{STANDARD_NAMES.orphanScattered} <Money amount={roll.byStandard.orphanScattered} />，
            {STANDARD_NAMES.deFactoUnsupported} <Money amount={roll.byStandard.deFactoUnsupported} />；补发 <Money amount={roll.arrearsTotal} />
          </>
        }
      />
      <RollDownloads path={path} roll={roll} bankList />
      {role === 'civil_affairs' ? (
        <RollDecision
          path={path}
          roll={roll}
          payeeCount={roll.caseCount}
          user={props.user}
          issuable={roll.status === 'draft'}
          cancellable={roll.status === 'draft'}
          cancelWords="其中的月份回到待发放，须重新生成本月名册后再交付。"
          onDone={loaded.reload}
        />
      ) : null}
      {role === 'finance' && roll.status === 'issued' ? <ResultsUpload path={path} onRecorded={loaded.reload} /> : null}
      <TransferTable transfers={roll.transfers} payee={caseColumn(props.user)} places={villageColumns()} />
      <HeldTable held={roll.held} rowKey={(item) => item.caseId} payee={caseColumn(props.user)} places={villageColumns()} reasons={HOLD_NAMES} />
    </section>
  );
}

export function BasicLivingOverpaymentsPage(props: PageProps) {
  return <OverpaymentList<BasicLivingOverpayment> title="基本生活费应退款（退出后多发）" path="/protection/overpayments" payee={caseColumn(props.user)} user={props.user} />;
}
