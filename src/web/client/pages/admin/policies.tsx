import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api.js';
import { chinaToday, formatDate, formatMoney, parseMoneyInput } from '../../format.js';
import { useAction, useAsync, usePagedList } from '../../kit/data.js';
import { ActionForm, CodeOptions, ConfirmButtons, Field, FormActions, TextField } from '../../kit/form.js';
import { BackLink, ListPage, Table } from '../../kit/list.js';
import { ErrorNotice, Loading, Success } from '../../kit/notices.js';
import { RegionName } from '../../parts/names.js';
import { href } from '../../router.js';
import type { PageProps, Policy } from '../../types.js';
import { CATEGORY_NAMES, DEVICE_KIND_NAMES, label, SERVICE_NAMES } from '../../words.js';

// The policy versions (救助标准): the admin adds one, starting from the version in force; reviewers
// read them.

function ruleLimit(rule: Policy['rules'][number]): string {
  const parts: string[] = [];
  if (rule.annualLimit) parts.push(`每年 ${formatMoney(rule.annualLimit)}`);
  if (rule.monthlyLimit) parts.push(`每月 ${formatMoney(rule.monthlyLimit)}`);
  if (rule.oncePerChildLimit) parts.push(`一次性 ${formatMoney(rule.oncePerChildLimit)}`);
  return parts.join('，') || '—';
}

function RulesTable(props: { policy: Policy }) {
  return (
    <Table
      rows={props.policy.rules}
      rowKey={(_rule, index) => index}
      columns={[
        {
          title: '救助项目',
          cell: (rule) => (
            <>
              {label(SERVICE_NAMES, rule.service)}
              {rule.deviceKind ? `（${label(DEVICE_KIND_NAMES, rule.deviceKind)}）` : ''}
            </>
          ),
        },
        { title: '残疾类别', cell: (rule) => (rule.categories ? rule.categories.map((category) => label(CATEGORY_NAMES, category)).join('、') : '所有类别') },
        { title: '标准', cell: ruleLimit },
        { title: '年龄上限', cell: (rule) => (rule.maxAge ? `${rule.maxAge} 周岁` : '按类别（肢体 7 岁，其他 14 岁）') },
      ]}
    />
  );
}

/** A rule as the form edits it: money and ages as typed; no category ticked means every category. */
interface RuleDraft {
  service: string;
  deviceKind: string;
  categories: string[];
  annualLimit: string;
  monthlyLimit: string;
  oncePerChildLimit: string;
  maxAge: string;
}

const draftOfRule = (rule: Policy['rules'][number]): RuleDraft => ({
  service: rule.service,
  deviceKind: rule.deviceKind ?? '',
  categories: rule.categories ?? [],
  annualLimit: rule.annualLimit ?? '',
  monthlyLimit: rule.monthlyLimit ?? '',
  oncePerChildLimit: rule.oncePerChildLimit ?? '',
  maxAge: rule.maxAge === null || rule.maxAge === undefined ? '' : String(rule.maxAge),
});

/** The API's rule from a row of the form, or the row's first mistake in words. */
function ruleOfDraft(draft: RuleDraft, index: number): Record<string, unknown> {
  const rule: Record<string, unknown> = { service: draft.service };
  if (draft.service === 'device') rule.deviceKind = draft.deviceKind || undefined;
  if (draft.categories.length > 0) rule.categories = draft.categories;
  for (const field of ['annualLimit', 'monthlyLimit', 'oncePerChildLimit'] as const) {
    if (!draft[field].trim()) continue;
    const amount = parseMoneyInput(draft[field]);
    if (!amount) throw new ApiError(400, 'VALIDATION_FAILED', `rule ${index + 1}`, [{ field: `rules.${index}.${field}` }]);
    rule[field] = amount;
  }
  if (draft.maxAge.trim()) rule.maxAge = Number(draft.maxAge);
  return rule;
}

function RuleEditor(props: { rule: RuleDraft; index: number; onChange(rule: RuleDraft): void; onRemove(): void }) {
  const { rule } = props;
  const set = (changes: Partial<RuleDraft>) => props.onChange({ ...rule, ...changes });
  const money = (field: 'annualLimit' | 'monthlyLimit' | 'oncePerChildLimit', title: string) => (
    <TextField label={title} class="short" inputMode="decimal" value={rule[field]} placeholder="不限" onValue={(value) => set({ [field]: value })} />
  );
  return (
    <fieldset class="rule" data-testid="policy-rule">
      <legend>第 {props.index + 1} 条</legend>
      <div class="form inline">
        <Field label="救助项目">
          <select value={rule.service} onChange={(event) => set({ service: event.currentTarget.value })}>
            <CodeOptions names={SERVICE_NAMES} />
          </select>
        </Field>
        {rule.service === 'device' ? (
          <Field label="辅具类别">
            <select value={rule.deviceKind} onChange={(event) => set({ deviceKind: event.currentTarget.value })} required>
              <option value="">请选择</option>
              <CodeOptions names={DEVICE_KIND_NAMES} />
            </select>
          </Field>
        ) : null}
        {money('annualLimit', '每年限额（元）')}
        {money('monthlyLimit', '每月限额（元）')}
        {money('oncePerChildLimit', '一次性限额（元）')}
        <TextField label="年龄上限（周岁）" class="short" inputMode="numeric" value={rule.maxAge} placeholder="按类别" onValue={(value) => set({ maxAge: value })} />
        <button type="button" class="link" onClick={props.onRemove}>
          删除此条
        </button>
      </div>
      <div class="categories">
        <span class="hint">残疾类别（不勾选为所有类别）：</span>
        {Object.entries(CATEGORY_NAMES).map(([code, name]) => (
          <label key={code} class="check">
            <input
              type="checkbox"
              checked={rule.categories.includes(code)}
              onChange={(event) => set({ categories: event.currentTarget.checked ? [...rule.categories, code] : rule.categories.filter((chosen) => chosen !== code) })}
            />
            {name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The version in force today for every region without its own: where a new version starts from. */
function currentDefault(policies: Policy[]): Policy | undefined {
  const today = chinaToday();
  return policies
    .filter((policy) => policy.regionCode === null && policy.status === 'approved' && policy.effectiveFrom <= today)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
}

export function PoliciesPage(props: PageProps) {
  const list = usePagedList<Policy>('/policies', {});
  const [name, setName] = useState('');
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [regionCode, setRegionCode] = useState('');
  const [rules, setRules] = useState<RuleDraft[] | null>(null);
  const [startedFrom, setStartedFrom] = useState<string | null>(null);
  const [created, setCreated] = useState<Policy | null>(null);
  const startFrom = (policy: Policy) => {
    setRules(policy.rules.map(draftOfRule));
    setStartedFrom(policy.name);
  };
  // The form starts from the version in force, so that a change is a change, not a retyping.
  const base = currentDefault(list.items);
  useEffect(() => {
    if (rules === null && base) startFrom(base);
  }, [base?.id]);
  const create = useAction(async () => {
    const body = { name: name.trim(), effectiveFrom, regionCode: regionCode.trim() || null, rules: (rules ?? []).map(ruleOfDraft) };
    setCreated(await api.post<Policy>('/policies', body));
    list.reload();
  });
  const change = (index: number, rule: RuleDraft) => setRules((rules ?? []).map((existing, position) => (position === index ? rule : existing)));
  return (
    <ListPage
      title="救助标准（政策版本）"
      list={list}
      empty="还没有政策版本。"
      columns={[
        { title: '名称', cell: (policy) => <a href={href(`/policies/${policy.id}`)}>{policy.name}</a> },
        { title: '生效日期', cell: (policy) => formatDate(policy.effectiveFrom) },
        { title: '适用地区', cell: (policy) => <PolicyRegion policy={policy} /> },
        { title: '规则数', cell: (policy) => policy.rules.length },
        { title: '状态', cell: (policy) => <PolicyStatus policy={policy} /> },
        props.user.role === 'admin' && {
          cell: (policy) => (
            <button type="button" class="link" onClick={() => startFrom(policy)}>
              以此为底稿新建
            </button>
          ),
        },
      ]}
      after={
        props.user.role === 'admin' ? (
          <>
            <h2>新建政策版本</h2>
            {created ? (
              <Success>
                {created.status === 'pending'
                  ? `已新建「${created.name}」，须由另一位管理员在该版本页面审核通过后，自 ${formatDate(created.effectiveFrom)} 起生效。`
                  : `已新建「${created.name}」，自 ${formatDate(created.effectiveFrom)} 起生效。`}
              </Success>
            ) : null}
            <ActionForm class="form wide-form" onSubmit={() => create.run()}>
              <TextField label="名称" name="name" value={name} required onValue={setName} />
              <TextField label="生效日期" type="date" name="effectiveFrom" value={effectiveFrom} required onValue={setEffectiveFrom} />
              <TextField label="适用地区代码" hint="留空为全省默认" name="regionCode" value={regionCode} maxLength={6} onValue={setRegionCode} />
              {startedFrom ? <p class="muted" data-testid="policy-base">以「{startedFrom}」的规则为底稿，按需修改：</p> : null}
              {(rules ?? []).map((rule, index) => (
                <RuleEditor key={index} rule={rule} index={index} onChange={(next) => change(index, next)} onRemove={() => setRules((rules ?? []).filter((_, position) => position !== index))} />
              ))}
              <p>
                <button type="button" class="secondary" onClick={() => setRules([...(rules ?? []), draftOfRule({ service: 'training', categories: null })])}>
                  增加一条规则
                </button>
              </p>
              <FormActions error={create.error} errorTitle="未能新建" running={create.running} disabled={(rules ?? []).length === 0} label="新建版本" />
            </ActionForm>
          </>
        ) : null
      }
    >
      <p class="muted">新版本自生效日起整体取代原有规则；地区版本优先于全省默认版本。已结算的申报不受影响。</p>
    </ListPage>
  );
}

/** Where a version applies: a region, or every region without its own. */
function PolicyRegion(props: { policy: Policy }) {
  return props.policy.regionCode ? <RegionName code={props.policy.regionCode} withCode /> : <>全省默认</>;
}

const POLICY_STATUS_NAMES: Record<Policy['status'], string> = { pending: '待另一位管理员审核', approved: '已审核', withdrawn: '已撤回（从未执行）' };

function PolicyStatus(props: { policy: Policy }) {
  const { policy } = props;
  if (policy.status === 'approved') return <>{policy.effectiveFrom <= chinaToday() ? '执行中或已被取代' : '已审核，待生效'}</>;
  return <span class={`tag tag-${policy.status}`}>{POLICY_STATUS_NAMES[policy.status]}</span>;
}

/**
 * What an admin may do with a version: another admin approves a pending one (two people for the
 * rates that pay money); any admin withdraws one not yet in force, saying why.
 */
function PolicyReview(props: { policy: Policy; user: PageProps['user']; onDone(): void }) {
  const { policy } = props;
  const [withdrawing, setWithdrawing] = useState(false);
  const [reason, setReason] = useState('');
  const approve = useAction(async () => {
    await api.post(`/policies/${policy.id}/approve`);
    props.onDone();
  });
  const withdraw = useAction(async () => {
    await api.post(`/policies/${policy.id}/withdraw`, { reason: reason.trim() });
    setWithdrawing(false);
    props.onDone();
  });
  const notYetInForce = policy.status !== 'withdrawn' && policy.effectiveFrom > chinaToday();
  return (
    <div data-testid="policy-review">
      {policy.status === 'pending' ? (
        policy.createdBy === props.user.id ? (
          <p class="warning">此版本由您新建，须由另一位管理员审核通过后才会执行。</p>
        ) : (
          <p class="actions">
            <button type="button" disabled={approve.running} onClick={() => approve.run()}>
              审核通过（自 {formatDate(policy.effectiveFrom)} 起执行）
            </button>
          </p>
        )
      ) : null}
      <ErrorNotice error={approve.error} title="未能审核" />
      {notYetInForce && !withdrawing ? (
        <p class="actions">
          <button type="button" class="secondary" onClick={() => setWithdrawing(true)}>
            撤回此版本
          </button>
        </p>
      ) : null}
      {withdrawing ? (
        <ActionForm class="form" onSubmit={() => withdraw.run()}>
          <p class="warning">撤回后此版本永不执行，生效日期空出，可另建更正后的版本。撤回记入审计日志。</p>
          <Field label="撤回原因" wide>
            <textarea name="reason" rows={2} value={reason} onInput={(event) => setReason(event.currentTarget.value)} required />
          </Field>
          <ErrorNotice error={withdraw.error} title="未能撤回" />
          <div class="actions">
            <ConfirmButtons label="确认撤回" danger running={withdraw.running} onCancel={() => setWithdrawing(false)} />
          </div>
        </ActionForm>
      ) : null}
    </div>
  );
}

export function PolicyPage(props: PageProps) {
  const policy = useAsync(() => api.get<Policy>(`/policies/${props.params.id}`), [props.params.id]);
  return (
    <section>
      <BackLink to="/policies" label="返回政策版本" />
      <Loading when={policy.loading} />
      <ErrorNotice error={policy.error} />
      {policy.data ? (
        <>
          <h1>{policy.data.name}</h1>
          <p>
            自 {formatDate(policy.data.effectiveFrom)} 起生效 · <PolicyRegion policy={policy.data} /> · <PolicyStatus policy={policy.data} />
          </p>
          {policy.data.status === 'withdrawn' ? <p class="muted">撤回原因：{policy.data.withdrawalReason}</p> : null}
          {props.user.role === 'admin' ? <PolicyReview policy={policy.data} user={props.user} onDone={() => policy.reload()} /> : null}
          <RulesTable policy={policy.data} />
        </>
      ) : null}
    </section>
  );
}
