import { chinaDate } from '../domain/chinaTime.js';

/**
 * The care allowance of the demo county: certified children enrolled over the past year and a
 * half, rolls for the last three months (the first settled with one failed transfer whose account
 * was then changed and confirmed, the second settled, the third issued and waiting for the bank),
 * this month's roll under notice with an objection, one exit that leaves an overpayment partly
 * recovered, one manual hold, one new account waiting for a second person, and this year's budgets.
 */
export async function seedCareAllowance(scene: {
  call: <T = any>(credential: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => Promise<T>;
  at: (date: string) => void;
  admin: string;
  reviewer: string;
  finance: string;
  civilAffairs: string;
  /** The second clerk: approves the enrolments and issues the rolls the first builds (security.md §2). */
  civilAffairs2: string;
  region: string;
  children: { id: string }[];
  now: Date;
}): Promise<void> {
  const { call, at, admin, reviewer, finance, civilAffairs, civilAffairs2, region, now } = scene;
  const today = chinaDate(now);
  const monthsAgo = (n: number) => {
    const index = Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7)) - 1 - n;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  };
  at(`${monthsAgo(4)}-05`);
  await call(admin, 'PUT', `/regions/${region}/budgets/${today.slice(0, 4)}`, { rehabilitation: '4600000.00', allowanceCounty: '20000.00', allowanceHardship: '6000.00' });
  const communities = ['朝阳社区', '西城社区', '金龙村', '罗江社区', '南外社区'];
  const certified = await Promise.all(scene.children.map((child) => call<{ id: string; certificateNo: string | null; name: string; birthDate: string }>(reviewer, 'GET', `/children/${child.id}`)));
  const beneficiaries: { id: string; name: string }[] = [];
  const eligible = certified.filter((candidate) => candidate.certificateNo && candidate.birthDate < `${monthsAgo(4)}-01`);
  for (const [index, child] of eligible.slice(0, 40).entries()) {
    // Accepted over the past year and a half, never before the child's first month.
    const acceptedOn = `${monthsAgo(4 + (index % 12))}-0${1 + (index % 5)}`;
    const enrolled = await call<{ id: string }>(index % 2 === 0 ? reviewer : civilAffairs, 'POST', '/allowance/beneficiaries', {
      childId: child.id,
      tier: index % 5 === 0 ? 'nursing_supplement' : 'care',
      acceptedOn: acceptedOn > child.birthDate ? acceptedOn : `${monthsAgo(4)}-01`,
      acceptedBy: ['东城街道办事处', '西城街道办事处', '北外镇人民政府', '罗江镇人民政府'][index % 4],
      community: { name: communities[index % communities.length] },
      bankAccount: { bank: index % 3 === 0 ? '四川农信通川区联社' : '中国邮政储蓄银行达州分行', accountName: `${child.name.slice(0, 1)}${['建国', '秀英', '志强', '丽华'][index % 4]}`, accountNumber: `62146700${String(10_000_000_000 + index)}` },
    });
    await call(civilAffairs2, 'POST', `/allowance/beneficiaries/${enrolled.id}/approve`, {});
    await call(civilAffairs, 'POST', `/allowance/beneficiaries/${enrolled.id}/verify`, { on: `${monthsAgo(4)}-05` });
    beneficiaries.push({ id: enrolled.id, name: child.name });
  }
  // A month's roll: built on the 8th, notice from the 8th to the 14th, issued on the 16th.
  const issueRoll = async (month: string) => {
    at(`${month}-08`);
    const roll = await call<{ id: string; transfers: { transferNo: number }[] }>(civilAffairs, 'POST', '/allowance/rolls', { month });
    await call(civilAffairs, 'POST', `/allowance/rolls/${roll.id}/publish`, { from: `${month}-08` });
    at(`${month}-16`);
    await call(civilAffairs2, 'POST', `/allowance/rolls/${roll.id}/issue`, {});
    return roll;
  };
  const first = await issueRoll(monthsAgo(3));
  at(`${monthsAgo(3)}-20`);
  await call(finance, 'POST', `/allowance/rolls/${first.id}/results`, {
    results: first.transfers.map((transfer, index) => (index === 2 ? { transferNo: transfer.transferNo, status: 'failed', reason: '账户已销户' } : { transferNo: transfer.transferNo, status: 'paid' })),
  });
  const failed = await call<{ transfers: { beneficiaryId: string; status: string; accountName: string }[] }>(civilAffairs, 'GET', `/allowance/rolls/${first.id}`);
  const refused = failed.transfers.find((transfer) => transfer.status === 'failed');
  if (refused) {
    // The reviewer enters the family's new account; civil affairs confirms it (security.md §2).
    await call(reviewer, 'PUT', `/allowance/beneficiaries/${refused.beneficiaryId}/bank-account`, { bank: '中国农业银行达州通川支行', accountName: refused.accountName, accountNumber: '6228481900000000777' });
    await call(civilAffairs, 'POST', `/allowance/beneficiaries/${refused.beneficiaryId}/bank-account/confirm`, {});
  }
  const second = await issueRoll(monthsAgo(2));
  at(`${monthsAgo(2)}-20`);
  await call(finance, 'POST', `/allowance/rolls/${second.id}/results`, { results: second.transfers.map((transfer) => ({ transferNo: transfer.transferNo, status: 'paid' })) });
  // A child moved away two months ago: what was sent for those months is to be recovered.
  at(`${monthsAgo(1)}-03`);
  await call(civilAffairs, 'POST', `/allowance/beneficiaries/${beneficiaries[7]!.id}/exit`, { reason: 'moved_out', fromMonth: monthsAgo(2), note: '随父母迁往成都市' });
  const overpayments = await call<{ items: { id: string }[] }>(civilAffairs, 'GET', '/allowance/overpayments');
  if (overpayments.items[0]) await call(civilAffairs, 'POST', `/allowance/overpayments/${overpayments.items[0].id}/recoveries`, { amount: '10.00', on: `${monthsAgo(1)}-03`, voucherNo: 'TH-0001' });
  await call(civilAffairs, 'POST', `/allowance/beneficiaries/${beneficiaries[11]!.id}/hold`, { reason: '家长反映已入住福利机构，待核实' });
  await issueRoll(monthsAgo(1));
  // This month's roll, posted today, with an objection already raised; a family's new account
  // the reviewer entered today waits for civil affairs to confirm it.
  at(today);
  const moving = beneficiaries[15];
  if (moving) {
    await call(reviewer, 'PUT', `/allowance/beneficiaries/${moving.id}/bank-account`, { bank: '中国工商银行达州分行', accountName: `${moving.name.slice(0, 1)}建国`, accountNumber: '6222021900000000315' });
  }
  const current = await call<{ id: string; transfers: { beneficiaryId: string }[] }>(civilAffairs, 'POST', '/allowance/rolls', { month: monthsAgo(0) });
  await call(civilAffairs, 'POST', `/allowance/rolls/${current.id}/publish`, { from: today });
  const objected = current.transfers[4];
  if (objected) await call(civilAffairs, 'POST', `/allowance/rolls/${current.id}/objections`, { beneficiaryId: objected.beneficiaryId, reason: '公示期间村民反映该户已迁出，待核实' });
}
