import { formatDate } from '../../format.js';
import { RollListPage } from '../../parts/rolls.js';
import type { PageProps, Roll } from '../../types.js';

// The monthly rolls of the care allowance, newest first, and the building of a month's, with each
// roll's notice period.

export function RollsPage(props: PageProps) {
  return (
    <RollListPage<Roll>
      title="关爱补贴发放名册"
      api="/allowance/rolls"
      page="/allowance/rolls"
      user={props.user}
      payeeCount={(roll) => roll.beneficiaryCount}
      columns={[{ title: '公示期', cell: (roll) => (roll.noticeFrom ? `${formatDate(roll.noticeFrom)} 至 ${formatDate(roll.noticeTo)}` : '—') }]}
    />
  );
}
