import { api } from '../api.js';
import { useAsync } from '../kit/data.js';
import { Field } from '../kit/form.js';
import type { Child, Institution } from '../types.js';

// Children, institutions and regions by name where the API gives an id or a code: each fetched
// once per session.

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

/** A region code typed into a form, named as it is typed (511702 → 通川区). */
export function RegionCodeField(props: { value: string; onInput(value: string): void }) {
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
