import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { formatMonth, formatTimestamp, parseMoneyInput } from '../../format.js';
import { useAction, useAsync } from '../../kit/data.js';
import { ActionForm, FormActions, TextField } from '../../kit/form.js';
import { Table } from '../../kit/list.js';
import { ErrorNotice, Loading, Success } from '../../kit/notices.js';
import { Money } from '../../kit/values.js';
import { RegionName } from '../../parts/names.js';
import type { PageProps } from '../../types.js';

// The care allowance's standards (关爱补贴标准): the monthly amounts of the two tiers from a month on,
// for every region or one; a roll pays each month at the standard in force for it.

interface Standard {
  id: string;
  effectiveFrom: string;
  regionCode: string | null;
  careMonthly: string;
  nursingSupplementMonthly: string;
  createdAt: string;
}

export function StandardsPage(_props: PageProps) {
  const list = useAsync(() => api.get<{ items: Standard[] }>('/allowance/standards'), []);
  const [form, setForm] = useState({ effectiveFrom: '', regionCode: '', careMonthly: '', nursingSupplementMonthly: '' });
  const [created, setCreated] = useState<Standard | null>(null);
  const create = useAction(async () => {
    const standard = await api.post<Standard>('/allowance/standards', {
      effectiveFrom: form.effectiveFrom,
      regionCode: form.regionCode.trim() || null,
      careMonthly: parseMoneyInput(form.careMonthly) ?? form.careMonthly,
      nursingSupplementMonthly: parseMoneyInput(form.nursingSupplementMonthly) ?? form.nursingSupplementMonthly,
    });
    setCreated(standard);
    list.reload();
  });
  const items = [...(list.data?.items ?? [])].sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  return (
    <section>
      <h1>关爱补贴标准</h1>
      <p class="muted">每月补贴金额自所列月份起执行；地区标准优先于默认标准。已交付的名册不受影响。</p>
      <Loading when={list.loading} />
      <ErrorNotice error={list.error} />
      <Table
        rows={items}
        columns={[
          { title: '起始月份', cell: (standard) => formatMonth(standard.effectiveFrom) },
          { title: '适用地区', cell: (standard) => (standard.regionCode ? <RegionName code={standard.regionCode} withCode /> : '默认（各地区）') },
          { title: '关爱补贴（每月）', num: true, cell: (standard) => <Money amount={standard.careMonthly} /> },
          { title: '护理补贴提标（每月）', num: true, cell: (standard) => <Money amount={standard.nursingSupplementMonthly} /> },
          { title: '录入时间', cell: (standard) => formatTimestamp(standard.createdAt) },
        ]}
      />
      <h2>新增标准</h2>
      {created ? (
        <Success>
          已新增：自 {formatMonth(created.effectiveFrom)} 起，关爱补贴每月 <Money amount={created.careMonthly} />，护理补贴提标每月 <Money amount={created.nursingSupplementMonthly} />。
        </Success>
      ) : null}
      <ActionForm class="form" onSubmit={() => create.run()}>
        <TextField label="起始月份" type="month" name="effectiveFrom" value={form.effectiveFrom} required onValue={(value) => setForm({ ...form, effectiveFrom: value })} />
        <TextField label="适用地区代码" hint="留空为默认标准" name="regionCode" maxLength={6} value={form.regionCode} onValue={(value) => setForm({ ...form, regionCode: value })} />
        <TextField label="关爱补贴（元/月）" name="careMonthly" inputMode="decimal" value={form.careMonthly} required onValue={(value) => setForm({ ...form, careMonthly: value })} />
        <TextField label="护理补贴提标（元/月）" name="nursingSupplementMonthly" inputMode="decimal" value={form.nursingSupplementMonthly} required onValue={(value) => setForm({ ...form, nursingSupplementMonthly: value })} />
        <FormActions error={create.error} errorTitle="未能新增" running={create.running} label="新增标准" />
      </ActionForm>
    </section>
  );
}
