import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, session } from '../api.js';
import { chinaToday, formatDate, formatMoney, formatTimestamp, parseMoneyInput } from '../format.js';
import { href } from '../router.js';
import type { Institution, PageProps, Policy, User } from '../types.js';
import { ActionForm, CodeOptions, Empty, ErrorNotice, Field, forgetInstitutions, InstitutionName, InstitutionOptions, Loading, Pager, RegionName, Success, useAction, useAsync, useInstitutions, usePagedList } from '../ui.js';
import { CATEGORY_NAMES, DEVICE_KIND_NAMES, label, ROLE_NAMES, SERVICE_NAMES, SERVICES } from '../words.js';

/** A region code typed into a form, named as it is typed (511702 → 通川区). */
function RegionCodeField(props: { value: string; onInput(value: string): void }) {
  return (
    <Field label="地区代码">
      <input name="regionCode" value={props.value} maxLength={6} onInput={(event) => props.onInput(event.currentTarget.value)} required />
      {props.value.length === 6 ? (
        <span class="hint" data-testid="region-name">
          <RegionName code={props.value} />
        </span>
      ) : null}
    </Field>
  );
}

/** The roles that act for one region: the user is created with its region code. */
const REGION_ROLES = ['reviewer', 'finance', 'civil_affairs'];

interface InstitutionFields {
  code: string;
  name: string;
  regionCode: string;
  services: string[];
  bank: string;
  accountName: string;
  accountNumber: string;
}

const EMPTY_INSTITUTION: InstitutionFields = { code: '', name: '', regionCode: '', services: [], bank: '', accountName: '', accountNumber: '' };

/** The institution's fields, for designating one or changing one (code and region stay once made). */
function InstitutionForm(props: { initial: InstitutionFields; editing: boolean; submitLabel: string; errorTitle: string; onSubmit(fields: InstitutionFields): Promise<unknown>; onCancel?(): void }) {
  const [form, setForm] = useState(props.initial);
  const update = (changes: Partial<InstitutionFields>) => setForm({ ...form, ...changes });
  const submit = useAction(async () => {
    await props.onSubmit(form);
    if (!props.editing) setForm(EMPTY_INSTITUTION);
  });
  return (
    <ActionForm class="form" onSubmit={() => submit.run()}>
      {props.editing ? null : (
        <>
          <Field label="机构编码">
            <input name="code" value={form.code} onInput={(event) => update({ code: event.currentTarget.value })} required />
          </Field>
          <RegionCodeField value={form.regionCode} onInput={(regionCode) => update({ regionCode })} />
        </>
      )}
      <Field label="机构名称">
        <input name="name" value={form.name} onInput={(event) => update({ name: event.currentTarget.value })} required />
      </Field>
      <fieldset>
        <legend>定点服务</legend>
        {SERVICES.map((service) => (
          <label key={service} class="check">
            <input
              type="checkbox"
              checked={form.services.includes(service)}
              onChange={(event) => update({ services: event.currentTarget.checked ? [...form.services, service] : form.services.filter((chosen) => chosen !== service) })}
            />
            {SERVICE_NAMES[service]}
          </label>
        ))}
      </fieldset>
      <Field label="开户银行">
        <input name="bank" value={form.bank} onInput={(event) => update({ bank: event.currentTarget.value })} required />
      </Field>
      <Field label="账户名称">
        <input name="accountName" value={form.accountName} onInput={(event) => update({ accountName: event.currentTarget.value })} required />
      </Field>
      <Field label="银行账号" hint="6 至 32 位数字；可按存折上的分组输入，空格和短横线会自动去掉">
        <input name="accountNumber" inputMode="numeric" value={form.accountNumber} onInput={(event) => update({ accountNumber: event.currentTarget.value })} required />
      </Field>
      {props.editing ? <p class="muted">已生成的结算批次仍按原账户付款；今后生成的批次使用新账户。</p> : null}
      <ErrorNotice error={submit.error} title={props.errorTitle} />
      <div class="actions">
        <button type="submit" disabled={submit.running}>
          {props.submitLabel}
        </button>
        {props.onCancel ? (
          <button type="button" class="link" onClick={props.onCancel}>
            取消
          </button>
        ) : null}
      </div>
    </ActionForm>
  );
}

const bankAccountOf = (fields: InstitutionFields) => ({ bank: fields.bank.trim(), accountName: fields.accountName.trim(), accountNumber: fields.accountNumber.trim() });

export function InstitutionsPage(props: PageProps) {
  const list = usePagedList<Institution>('/institutions', {});
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState<Institution | null>(null);
  const create = async (fields: InstitutionFields) => {
    const institution = await api.post<Institution>('/institutions', {
      code: fields.code.trim(),
      name: fields.name.trim(),
      regionCode: fields.regionCode.trim(),
      services: fields.services,
      bankAccount: bankAccountOf(fields),
    });
    forgetInstitutions();
    setDone(`已新增 ${institution.name}。可在「用户」中为该机构开设账号。`);
    list.reload();
  };
  const change = async (fields: InstitutionFields) => {
    const institution = await api.put<Institution>(`/institutions/${editing!.id}`, { name: fields.name.trim(), services: fields.services, bankAccount: bankAccountOf(fields) });
    forgetInstitutions();
    setEditing(null);
    setDone(
      institution.pendingBankAccount
        ? `已保存 ${institution.name} 的修改。收款账户的变更须由另一位管理员确认后生效；确认前付款和新批次仍付原账户。`
        : `已保存 ${institution.name} 的修改。`,
    );
    list.reload();
  };
  // Nobody moves money alone (security.md §2): another admin confirms a change of account.
  const confirm = useAction(async (institution: Institution) => {
    const confirmed = await api.post<Institution>(`/institutions/${institution.id}/bank-account/confirm`);
    forgetInstitutions();
    setDone(`${confirmed.name} 的收款账户已变更为 ${confirmed.bankAccount.bank} ${confirmed.bankAccount.accountNumber}。`);
    list.reload();
  });
  return (
    <section>
      <h1>定点康复机构</h1>
      <Loading when={list.loading} />
      <ErrorNotice error={list.error} />
      {done ? <Success>{done}</Success> : null}
      <ErrorNotice error={confirm.error} title="未能确认账户变更" />
      {!list.loading && list.items.length === 0 ? <Empty>还没有定点机构。</Empty> : null}
      {list.items.length > 0 ? (
        <table class="list">
          <thead>
            <tr>
              <th>编码</th>
              <th>名称</th>
              <th>地区</th>
              <th>定点服务</th>
              <th>收款账户</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((institution) => (
              <tr key={institution.id}>
                <td>{institution.code}</td>
                <td>{institution.name}</td>
                <td>
                  <RegionName code={institution.regionCode} withCode />
                </td>
                <td>{institution.services.map((service) => label(SERVICE_NAMES, service)).join('、')}</td>
                <td>
                  {institution.bankAccount.bank} {institution.bankAccount.accountName} {institution.bankAccount.accountNumber}
                  {institution.pendingBankAccount ? (
                    <div class="pending" data-testid="pending-account">
                      待确认的新账户：{institution.pendingBankAccount.bank} {institution.pendingBankAccount.accountName} {institution.pendingBankAccount.accountNumber}
                      （{institution.pendingBankAccount.requestedBy.name} 于 {formatTimestamp(institution.pendingBankAccount.requestedAt)} 提出）
                      {institution.pendingBankAccount.requestedBy.id === props.user.id ? (
                        <span class="muted">，须由另一位管理员确认</span>
                      ) : (
                        <button type="button" class="link" disabled={confirm.running} onClick={() => void confirm.run(institution)}>
                          确认变更
                        </button>
                      )}
                    </div>
                  ) : null}
                </td>
                <td>
                  <button type="button" class="link" onClick={() => setEditing(institution)}>
                    修改
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager list={list} />
      {editing ? (
        <>
          <h2>修改 {editing.name}（{editing.code}）</h2>
          <InstitutionForm
            key={editing.id}
            editing
            initial={{ ...EMPTY_INSTITUTION, name: editing.name, services: editing.services, ...editing.bankAccount }}
            submitLabel="保存修改"
            errorTitle="未能保存"
            onSubmit={change}
            onCancel={() => setEditing(null)}
          />
        </>
      ) : (
        <>
          <h2>新增定点机构</h2>
          <InstitutionForm editing={false} initial={EMPTY_INSTITUTION} submitLabel="新增机构" errorTitle="未能新增" onSubmit={create} />
        </>
      )}
    </section>
  );
}

/**
 * A token shown once. Copying needs the clipboard API, which browsers give only on https or on
 * this machine: on a plain-http intranet address the token is selected instead, for Ctrl+C.
 */
function TokenOnce(props: { user: User & { token: string }; intro: string; action: string; children: preact.ComponentChildren }) {
  const [copyNote, setCopyNote] = useState('');
  const copy = async (event: Event) => {
    const code = (event.currentTarget as HTMLElement).parentElement!.querySelector('code')!;
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(props.user.token);
      setCopyNote('已复制到剪贴板。');
    } catch {
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      setCopyNote('此地址不允许网页直接复制：令牌已选中，请按 Ctrl+C（Mac 上按 ⌘+C）复制。');
    }
  };
  return (
    <div class="token-once" role="status" data-testid="new-token">
      <p>
        {props.intro} <strong>{props.user.name}</strong>（{label(ROLE_NAMES, props.user.role)}）{props.action}。登录令牌如下，<strong>只显示这一次</strong>
        ，系统不保存明文：请现在复制并当面或通过安全渠道交给本人。
      </p>
      <code class="token">{props.user.token}</code>
      <button type="button" class="secondary" onClick={(event) => void copy(event)}>
        复制令牌
      </button>
      {copyNote ? <p data-testid="copy-note">{copyNote}</p> : null}
      {props.children}
    </div>
  );
}

/** Disable or enable a user, or issue a new token; each asks to be confirmed first. */
function UserActions(props: { user: User; onChanged(reissued?: User & { token: string }): void }) {
  const [confirming, setConfirming] = useState<'disable' | 'enable' | 'token' | null>(null);
  const act = useAction(async (what: 'disable' | 'enable' | 'token') => {
    const routes = {
      disable: () => api.post<User>(`/users/${props.user.id}/disable`),
      enable: () => api.post<User>(`/users/${props.user.id}/enable`),
      token: () => api.post<User & { token: string }>(`/users/${props.user.id}/token`),
    };
    const answer: User & { token?: string } = await routes[what]();
    setConfirming(null);
    props.onChanged(answer.token ? (answer as User & { token: string }) : undefined);
  });
  const words = { disable: '停用', enable: '启用', token: '重新发放令牌' } as const;
  const warnings = { disable: '停用后该用户的令牌立即失效。', enable: '启用后该用户可用原令牌登录。', token: '原令牌将立即失效，新令牌只显示一次。' } as const;
  if (confirming) {
    return (
      <span class="confirm">
        {warnings[confirming]}
        <button type="button" disabled={act.running} onClick={() => void act.run(confirming)}>
          确认{words[confirming]}
        </button>
        <button type="button" class="link" onClick={() => setConfirming(null)}>
          取消
        </button>
        <ErrorNotice error={act.error} title={`未能${words[confirming]}`} />
      </span>
    );
  }
  return (
    <span class="row-actions">
      <button type="button" class="link" onClick={() => setConfirming(props.user.disabledAt ? 'enable' : 'disable')}>
        {props.user.disabledAt ? '启用' : '停用'}
      </button>
      <button type="button" class="link" onClick={() => setConfirming('token')}>
        重新发放令牌
      </button>
    </span>
  );
}

export function UsersPage(props: PageProps) {
  const list = usePagedList<User>('/users', {});
  const institutions = useInstitutions();
  const [form, setForm] = useState({ name: '', role: 'reviewer', regionCode: '', institutionId: '' });
  const update = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });
  const [created, setCreated] = useState<(User & { token: string }) | null>(null);
  const create = useAction(async () => {
    const body: Record<string, string> = { name: form.name.trim(), role: form.role };
    if (REGION_ROLES.includes(form.role)) body.regionCode = form.regionCode.trim();
    if (form.role === 'institution') body.institutionId = form.institutionId;
    const user = await api.post<User & { token: string }>('/users', body);
    setCreated(user);
    setForm({ ...form, name: '' });
    // The bootstrap token stops the moment a personal admin exists: reading the list again would
    // answer 401 and sign out before the new token is copied.
    if (!(props.user.bootstrap && user.role === 'admin')) list.reload();
  });
  const replacesBootstrap = Boolean(props.user.bootstrap && created?.role === 'admin');
  const [reissued, setReissued] = useState<(User & { token: string }) | null>(null);
  return (
    <section>
      <h1>用户</h1>
      <Loading when={list.loading} />
      <ErrorNotice error={list.error} />
      {list.items.length > 0 ? (
        <table class="list">
          <thead>
            <tr>
              <th>姓名</th>
              <th>角色</th>
              <th>地区 / 机构</th>
              <th>开设时间</th>
              <th>状态</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((user) => (
              <tr key={user.id}>
                <td>{user.name}</td>
                <td>{label(ROLE_NAMES, user.role)}</td>
                <td>{user.institutionId ? <InstitutionName id={user.institutionId} /> : <RegionName code={user.regionCode} withCode />}</td>
                <td>{formatTimestamp(user.createdAt)}</td>
                <td>{user.disabledAt ? `已停用（${formatTimestamp(user.disabledAt)}）` : '正常'}</td>
                <td>
                  {user.bootstrap || user.id === props.user.id ? null : (
                    <UserActions
                      user={user}
                      onChanged={(reissued) => {
                        if (reissued) setReissued(reissued);
                        list.reload();
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager list={list} />
      {reissued ? (
        <TokenOnce user={reissued} intro="已为" action="重新发放令牌，原令牌已失效">
          <button type="button" class="link" onClick={() => setReissued(null)}>
            已交付，隐藏令牌
          </button>
        </TokenOnce>
      ) : null}
      <h2>开设账号</h2>
      {created ? (
        <TokenOnce user={created} intro="已为" action="开设账号">
          {replacesBootstrap ? (
            <>
              <p>初始化令牌已经失效。请先妥善保存上面的令牌，再用它重新登录。</p>
              <button
                type="button"
                onClick={() => {
                  session.signIn(created.token);
                  window.location.hash = '#/users';
                  window.location.reload();
                }}
              >
                用此令牌登录
              </button>
            </>
          ) : (
            <button type="button" class="link" onClick={() => setCreated(null)}>
              已交付，隐藏令牌
            </button>
          )}
        </TokenOnce>
      ) : null}
      <ActionForm class="form" onSubmit={() => create.run()}>
        <Field label="姓名">
          <input name="name" value={form.name} onInput={(event) => update({ name: event.currentTarget.value })} required />
        </Field>
        <Field label="角色">
          <select name="role" value={form.role} onChange={(event) => update({ role: event.currentTarget.value })}>
            <CodeOptions names={ROLE_NAMES} />
          </select>
        </Field>
        {REGION_ROLES.includes(form.role) ? (
          <RegionCodeField value={form.regionCode} onInput={(regionCode) => update({ regionCode })} />
        ) : null}
        {form.role === 'institution' ? (
          <Field label="机构">
            <select name="institutionId" value={form.institutionId} onChange={(event) => update({ institutionId: event.currentTarget.value })} required>
              <option value="">请选择</option>
              <InstitutionOptions institutions={institutions.data} />
            </select>
          </Field>
        ) : null}
        <ErrorNotice error={create.error} title="未能开设账号" />
        <div class="actions">
          <button type="submit" disabled={create.running}>
            开设账号
          </button>
        </div>
      </ActionForm>
    </section>
  );
}

function ruleLimit(rule: Policy['rules'][number]): string {
  const parts: string[] = [];
  if (rule.annualLimit) parts.push(`每年 ${formatMoney(rule.annualLimit)}`);
  if (rule.monthlyLimit) parts.push(`每月 ${formatMoney(rule.monthlyLimit)}`);
  if (rule.oncePerChildLimit) parts.push(`一次性 ${formatMoney(rule.oncePerChildLimit)}`);
  return parts.join('，') || '—';
}

function RulesTable(props: { policy: Policy }) {
  return (
    <table class="list">
      <thead>
        <tr>
          <th>救助项目</th>
          <th>残疾类别</th>
          <th>标准</th>
          <th>年龄上限</th>
        </tr>
      </thead>
      <tbody>
        {props.policy.rules.map((rule, index) => (
          <tr key={index}>
            <td>
              {label(SERVICE_NAMES, rule.service)}
              {rule.deviceKind ? `（${label(DEVICE_KIND_NAMES, rule.deviceKind)}）` : ''}
            </td>
            <td>{rule.categories ? rule.categories.map((category) => label(CATEGORY_NAMES, category)).join('、') : '所有类别'}</td>
            <td>{ruleLimit(rule)}</td>
            <td>{rule.maxAge ? `${rule.maxAge} 周岁` : '按类别（肢体 7 岁，其他 14 岁）'}</td>
          </tr>
        ))}
      </tbody>
    </table>
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
    <Field label={title}>
      <input class="short" inputMode="decimal" value={rule[field]} placeholder="不限" onInput={(event) => set({ [field]: event.currentTarget.value })} />
    </Field>
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
        <Field label="年龄上限（周岁）">
          <input class="short" inputMode="numeric" value={rule.maxAge} placeholder="按类别" onInput={(event) => set({ maxAge: event.currentTarget.value })} />
        </Field>
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
    .filter((policy) => policy.regionCode === null && policy.effectiveFrom <= today)
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
    <section>
      <h1>救助标准（政策版本）</h1>
      <p class="muted">新版本自生效日起整体取代原有规则；地区版本优先于全省默认版本。已结算的申报不受影响。</p>
      <Loading when={list.loading} />
      <ErrorNotice error={list.error} />
      {list.items.length > 0 ? (
        <table class="list">
          <thead>
            <tr>
              <th>名称</th>
              <th>生效日期</th>
              <th>适用地区</th>
              <th>规则数</th>
              {props.user.role === 'admin' ? <th></th> : null}
            </tr>
          </thead>
          <tbody>
            {list.items.map((policy) => (
              <tr key={policy.id}>
                <td>
                  <a href={href(`/policies/${policy.id}`)}>{policy.name}</a>
                </td>
                <td>{formatDate(policy.effectiveFrom)}</td>
                <td>{policy.regionCode ? <RegionName code={policy.regionCode} withCode /> : '全省默认'}</td>
                <td>{policy.rules.length}</td>
                {props.user.role === 'admin' ? (
                  <td>
                    <button type="button" class="link" onClick={() => startFrom(policy)}>
                      以此为底稿新建
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager list={list} />
      {props.user.role === 'admin' ? (
        <>
          <h2>新建政策版本</h2>
          {created ? <Success>已新建「{created.name}」，自 {formatDate(created.effectiveFrom)} 起生效。</Success> : null}
          <ActionForm class="form wide-form" onSubmit={() => create.run()}>
            <Field label="名称">
              <input name="name" value={name} onInput={(event) => setName(event.currentTarget.value)} required />
            </Field>
            <Field label="生效日期">
              <input type="date" name="effectiveFrom" value={effectiveFrom} onInput={(event) => setEffectiveFrom(event.currentTarget.value)} required />
            </Field>
            <Field label="适用地区代码" hint="留空为全省默认">
              <input name="regionCode" value={regionCode} maxLength={6} onInput={(event) => setRegionCode(event.currentTarget.value)} />
            </Field>
            {startedFrom ? <p class="muted" data-testid="policy-base">以「{startedFrom}」的规则为底稿，按需修改：</p> : null}
            {(rules ?? []).map((rule, index) => (
              <RuleEditor key={index} rule={rule} index={index} onChange={(next) => change(index, next)} onRemove={() => setRules((rules ?? []).filter((_, position) => position !== index))} />
            ))}
            <p>
              <button type="button" class="secondary" onClick={() => setRules([...(rules ?? []), draftOfRule({ service: 'training', categories: null })])}>
                增加一条规则
              </button>
            </p>
            <ErrorNotice error={create.error} title="未能新建" />
            <div class="actions">
              <button type="submit" disabled={create.running || (rules ?? []).length === 0}>
                新建版本
              </button>
            </div>
          </ActionForm>
        </>
      ) : null}
    </section>
  );
}

export function PolicyPage(props: PageProps) {
  const policy = useAsync(() => api.get<Policy>(`/policies/${props.params.id}`), [props.params.id]);
  return (
    <section>
      <p>
        <a href={href('/policies')}>← 返回政策版本</a>
      </p>
      <Loading when={policy.loading} />
      <ErrorNotice error={policy.error} />
      {policy.data ? (
        <>
          <h1>{policy.data.name}</h1>
          <p>
            自 {formatDate(policy.data.effectiveFrom)} 起生效 · {policy.data.regionCode ? <RegionName code={policy.data.regionCode} withCode /> : '全省默认'}
          </p>
          <RulesTable policy={policy.data} />
        </>
      ) : null}
    </section>
  );
}
