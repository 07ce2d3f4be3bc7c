import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Page } from './api.js';
import { formatDate, formatMoney } from './format.js';
import type { AppliedLimit, Child, Entitlements, Institution, Preview, Timing } from './types.js';
import { DEVICE_KIND_NAMES, errorMessage, fieldName, label, LIMIT_NAMES, REASON_NAMES, SERVICE_NAMES, STEP_NAMES } from './words.js';

// The building blocks every page uses: loading data, showing errors in clerk words, money,
// paging, breakdowns and entitlements.

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: true });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, version]);
  const reload = useCallback(() => setVersion((value) => value + 1), []);
  return { ...state, reload };
}

/** A list of the API, a page at a time; the cursors of earlier pages are kept to go back. */
export function usePagedList<T>(path: string, query: Record<string, string | number | undefined>, pageSize = 20) {
  const key = JSON.stringify([path, query]);
  // The cursors of the pages shown so far, for this list and filter only: a new filter starts
  // again from the first page.
  const [trail, setTrail] = useState<{ key: string; cursors: (string | null)[] }>({ key, cursors: [null] });
  const cursors = trail.key === key ? trail.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;
  const result = useAsync(() => api.get<Page<T>>(path, { ...query, limit: pageSize, cursor }), [key, cursor]);
  return {
    ...result,
    items: result.data?.items ?? [],
    pageNumber: cursors.length,
    hasPrevious: cursors.length > 1,
    hasNext: Boolean(result.data?.nextCursor),
    next: () => result.data?.nextCursor && setTrail({ key, cursors: [...cursors, result.data.nextCursor] }),
    previous: () => cursors.length > 1 && setTrail({ key, cursors: cursors.slice(0, -1) }),
  };
}

export function Pager(props: { list: ReturnType<typeof usePagedList<unknown>> | { pageNumber: number; hasPrevious: boolean; hasNext: boolean; next(): void; previous(): void } }) {
  const { list } = props;
  if (!list.hasPrevious && !list.hasNext) return null;
  return (
    <nav class="pager" aria-label="翻页">
      <button type="button" class="secondary" disabled={!list.hasPrevious} onClick={() => list.previous()}>
        上一页
      </button>
      <span>第 {list.pageNumber} 页</span>
      <button type="button" class="secondary" disabled={!list.hasNext} onClick={() => list.next()}>
        下一页
      </button>
    </nav>
  );
}

export function Money(props: { amount: string | null | undefined; strong?: boolean }) {
  const text = formatMoney(props.amount);
  return props.strong ? <strong class="money">{text}</strong> : <span class="money">{text}</span>;
}

interface ValidationDetail {
  field?: string | null;
  message?: string;
  row?: number;
  fileRow?: number;
  code?: string;
}

/** An error of the API in words a clerk understands, the fields at fault, and the technical text folded away. */
export function ErrorNotice(props: { error: unknown; title?: string }) {
  const { error } = props;
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : new ApiError(0, 'INTERNAL_ERROR', String(error));
  const details = (apiError.details as ValidationDetail[]).filter((detail) => detail && typeof detail === 'object');
  const fields = details.map((detail) => fieldName(detail.field)).filter((name): name is string => Boolean(name));
  return (
    <div class="error" role="alert">
      <p>
        {props.title ? <strong>{props.title}：</strong> : null}
        {errorMessage(apiError.code)}
      </p>
      {fields.length > 0 && apiError.code === 'VALIDATION_FAILED' ? (
        <ul>
          {[...new Set(fields)].map((field) => (
            <li key={field}>请检查「{field}」</li>
          ))}
        </ul>
      ) : null}
      {/* The service's own words are English and technical: kept for whoever investigates, under Chinese labels. */}
      <details data-testid="technical">
        <summary>技术信息（供系统管理员排查）</summary>
        <dl class="technical">
          <dt>错误代码</dt>
          <dd>
            <code>{apiError.code}</code>
            {apiError.status ? `（HTTP ${apiError.status}）` : ''}
          </dd>
          <dt>系统原文（英文）</dt>
          <dd>
            <code>{apiError.message}</code>
          </dd>
          {apiError.requestId ? (
            <>
              <dt>请求编号</dt>
              <dd>
                <code>{apiError.requestId}</code>
              </dd>
            </>
          ) : null}
        </dl>
      </details>
    </div>
  );
}

export function Loading(props: { when: boolean }) {
  return props.when ? <p class="muted">正在加载…</p> : null;
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="empty">{props.children}</p>;
}

export function Field(props: { label: string; hint?: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <label class={props.wide ? 'field wide' : 'field'}>
      <span class="field-label">{props.label}</span>
      {props.children}
      {props.hint ? <span class="hint">{props.hint}</span> : null}
    </label>
  );
}

export function Tag(props: { code: string; names: Record<string, string> }) {
  return <span class={`tag tag-${props.code}`}>{label(props.names, props.code)}</span>;
}

/** Runs an action of a button: disables it while running, shows the API's refusal in words. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (...args: A): Promise<R | undefined> => {
    setRunning(true);
    setError(null);
    try {
      return await action(...args);
    } catch (caught) {
      setError(caught);
      return undefined;
    } finally {
      setRunning(false);
    }
  };
  return { run, running, error, setError };
}

export function DownloadButton(props: { path: string; fallbackName: string; children: ComponentChildren }) {
  const download = useAction(() => api.download(props.path, props.fallbackName));
  return (
    <span class="download">
      <button type="button" class="secondary" disabled={download.running} onClick={() => download.run()}>
        {download.running ? '正在下载…' : props.children}
      </button>
      <ErrorNotice error={download.error} />
    </span>
  );
}

export function serviceLabel(service: string, deviceKind?: string | null): string {
  const name = label(SERVICE_NAMES, service);
  return deviceKind ? `${name}（${label(DEVICE_KIND_NAMES, deviceKind)}）` : name;
}

function limitText(limit: AppliedLimit): string {
  const name = label(LIMIT_NAMES, limit.code);
  if (limit.code === 'MONTHLY_LIMIT') return `${name} ${formatMoney(limit.limit)} × ${limit.months} 个月`;
  if (limit.used !== null) return `${name} ${formatMoney(limit.limit)}，已使用 ${formatMoney(limit.used)}`;
  return `${name} ${formatMoney(limit.limit)}`;
}

/** How a settlement is reached: each deduction, each limit (the binding one marked), the subsidy. */
export function Breakdown(props: { preview: Preview; approvedAmount?: string | null }) {
  const { preview } = props;
  return (
    <div class="breakdown">
      <table>
        <caption>结算计算过程</caption>
        <thead>
          <tr>
            <th>项目</th>
            <th class="num">金额</th>
            <th class="num">余额</th>
          </tr>
        </thead>
        <tbody>
          {preview.steps.map((step, index) => (
            <tr key={index} class={step.label === 'cap' ? 'cap-row' : undefined}>
              <td>{label(STEP_NAMES, step.label)}</td>
              <td class="num">
                <Money amount={step.amount} />
              </td>
              <td class="num">
                <Money amount={step.balance} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.limits && preview.limits.length > 0 ? (
        <ul class="limits">
          {preview.limits.map((limit) => (
            <li key={limit.code} class={limit.binding ? 'binding' : undefined}>
              {limitText(limit)}：本次最多 <Money amount={limit.figure} />
              {limit.binding ? <strong class="binding-mark">← 起限制作用</strong> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <p class="subsidy">
        应付救助金额 <Money amount={props.approvedAmount ?? preview.subsidy} strong />
        {preview.reasons.length > 0 ? <span class="reasons">（{preview.reasons.map((reason) => label(REASON_NAMES, reason)).join('；')}）</span> : null}
      </p>
    </div>
  );
}

/** What a child has used and has left this year, per service. */
export function EntitlementTable(props: { childId: string; year: number }) {
  const entitlements = useAsync(() => api.get<Entitlements>(`/children/${props.childId}/entitlements`, { year: props.year }), [props.childId, props.year]);
  if (entitlements.loading) return <Loading when />;
  if (entitlements.error) return <ErrorNotice error={entitlements.error} />;
  const items = entitlements.data?.items ?? [];
  if (items.length === 0) return <Empty>{props.year} 年该儿童的残疾类别没有可享受的救助项目。</Empty>;
  return (
    <table class="entitlements">
      <caption>{props.year} 年救助额度使用情况</caption>
      <thead>
        <tr>
          <th>救助项目</th>
          <th class="num">标准</th>
          <th class="num">已使用</th>
          <th class="num">待审核</th>
          <th class="num">剩余</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={`${item.service}-${item.deviceKind ?? ''}`}>
            <td>{serviceLabel(item.service, item.deviceKind)}</td>
            <td class="num">
              {item.oncePerChildLimit ? (
                <>
                  <Money amount={item.oncePerChildLimit} />（一次性）
                </>
              ) : (
                <>
                  <Money amount={item.annualLimit} />
                  /年{item.monthlyLimit ? <>，<Money amount={item.monthlyLimit} />/月</> : null}
                </>
              )}
            </td>
            <td class="num">
              <Money amount={item.oncePerChildLimit ? item.usedEver : item.usedThisYear} />
            </td>
            <td class="num">
              <Money amount={item.pending} />
            </td>
            <td class="num">
              <Money amount={item.remaining} strong />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// Names of children and institutions, fetched once per session each.
const childRequests = new Map<string, Promise<Child>>();
export function loadChild(id: string): Promise<Child> {
  let request = childRequests.get(id);
  if (!request) {
    request = api.get<Child>(`/children/${id}`);
    request.catch(() => childRequests.delete(id));
    childRequests.set(id, request);
  }
  return request;
}

export function ChildName(props: { id: string }) {
  const child = useAsync(() => loadChild(props.id), [props.id]);
  return <span>{child.data?.name ?? (child.error ? '（无权查看）' : '…')}</span>;
}

let institutionsRequest: Promise<Institution[]> | null = null;
export function loadInstitutions(): Promise<Institution[]> {
  if (!institutionsRequest) {
    institutionsRequest = api.all<Institution>('/institutions');
    institutionsRequest.catch(() => (institutionsRequest = null));
  }
  return institutionsRequest;
}
export function forgetInstitutions() {
  institutionsRequest = null;
}
export function forgetCaches() {
  childRequests.clear();
  institutionsRequest = null;
}

export function useInstitutions() {
  return useAsync(loadInstitutions, []);
}

export function InstitutionName(props: { id: string | null }) {
  const institutions = useInstitutions();
  if (!props.id) return <span>—</span>;
  return <span>{institutions.data?.find((institution) => institution.id === props.id)?.name ?? '…'}</span>;
}

/** A text input whose value a debounced effect reads (the live preview waits for typing to pause). */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setSettled(value), delayMs);
    return () => window.clearTimeout(timer.current);
  }, [JSON.stringify(value), delayMs]);
  return settled;
}

export function Success(props: { children: ComponentChildren }) {
  return (
    <div class="success" role="status">
      {props.children}
    </div>
  );
}

/** A form whose submission runs an action of the page (useAction), never a page load. */
export function ActionForm(props: { class?: string; onSubmit(): unknown; children: ComponentChildren }) {
  return (
    <form
      class={props.class ?? 'form'}
      onSubmit={(event) => {
        event.preventDefault();
        void props.onSubmit();
      }}
    >
      {props.children}
    </form>
  );
}

/** The options of a select over a closed vocabulary: its codes, shown by their names. */
export function CodeOptions(props: { names: Record<string, string> }) {
  return (
    <>
      {Object.entries(props.names).map(([code, name]) => (
        <option key={code} value={code}>
          {name}
        </option>
      ))}
    </>
  );
}

export function InstitutionOptions(props: { institutions: Institution[] | null | undefined; withCode?: boolean }) {
  return (
    <>
      {(props.institutions ?? []).map((institution) => (
        <option key={institution.id} value={institution.id}>
          {props.withCode ? `${institution.name}（${institution.code}）` : institution.name}
        </option>
      ))}
    </>
  );
}

/** What a list shows besides its rows: loading, the error, or that it is empty. */
export function ListStatus(props: { list: { loading: boolean; error: unknown; items: unknown[] }; empty: string }) {
  const { list } = props;
  return (
    <>
      <Loading when={list.loading && list.items.length === 0} />
      <ErrorNotice error={list.error} />
      {!list.loading && !list.error && list.items.length === 0 ? <Empty>{props.empty}</Empty> : null}
    </>
  );
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

const regionNames = new Map<string, Promise<string | null>>();

/** A region as people say it: 通川区, from the service's division table; the code when unknown. */
export function RegionName(props: { code: string | null | undefined; withCode?: boolean }) {
  const code = props.code;
  const name = useAsync(async () => {
    if (!code) return null;
    if (!regionNames.has(code)) regionNames.set(code, api.get<{ name: string }>(`/regions/${code}`).then((region) => region.name, () => null));
    return regionNames.get(code)!;
  }, [code]);
  if (!code) return <>—</>;
  if (!name.data) return <>{code}</>;
  return <>{props.withCode ? `${name.data}（${code}）` : name.data}</>;
}
