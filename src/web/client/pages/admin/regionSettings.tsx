import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { chinaToday, formatMoney, formatTimestamp, parseMoneyInput } from '../../format.js';
import { useAction, useAsync } from '../../kit/data.js';
import { ActionForm, FormActions, TextField } from '../../kit/form.js';
import { Success } from '../../kit/notices.js';
import { RegionCodeField } from '../../parts/names.js';
import { navigate } from '../../router.js';
import type { PageProps } from '../../types.js';
import { EVIDENCE_KIND_NAMES, SERVICE_NAMES, SERVICES } from '../../words.js';

// A region's settings (地区设置), the admin's: the review working days and the supervision phone,
// the offices documents name as their issuer, the evidence each service needs, and each year's
// budgets and target of children aided.

interface Settings {
  regionCode: string;
  reviewWorkingDays: number;
  reviewWorkingDaysIsDefault: boolean;
  supervisionPhone: string | null;
  requiredEvidence: Record<string, string[]>;
  authorities: { disabledPersonsFederation: string | null; civilAffairs: string | null; finance: string | null };
  updatedAt: string | null;
}

interface Budget {
  year: number;
  rehabilitation: string | null;
  allowanceCounty: string | null;
  allowanceHardship: string | null;
  protectionBasicLiving: string | null;
}

const OFFICES = [
  ['disabledPersonsFederation', '残疾人联合会（出具结算单、对账报告）', '如：达州市通川区残疾人联合会'],
  ['civilAffairs', '民政局（出具关爱补贴公示、汇总表、代发清单）', '如：达州市通川区民政局'],
  ['finance', '财政局（结算单上盖章付款）', '如：达州市通川区财政局'],
] as const;

function SettingsForm(props: { settings: Settings; onSaved(settings: Settings): void }) {
  const { settings } = props;
  const [days, setDays] = useState(settings.reviewWorkingDaysIsDefault ? '' : String(settings.reviewWorkingDays));
  const [phone, setPhone] = useState(settings.supervisionPhone ?? '');
  const [offices, setOffices] = useState({ ...settings.authorities });
  const [required, setRequired] = useState<Record<string, string[]>>({ ...settings.requiredEvidence });
  const toggle = (service: string, kind: string, on: boolean) => {
    const kinds = required[service] ?? [];
    setRequired({ ...required, [service]: on ? [...kinds, kind] : kinds.filter((chosen) => chosen !== kind) });
  };
  const save = useAction(async () => {
    const saved = await api.put<Settings>(`/regions/${settings.regionCode}/settings`, {
      reviewWorkingDays: days.trim() === '' ? null : Number(days),
      supervisionPhone: phone.trim() || null,
      authorities: Object.fromEntries(Object.entries(offices).map(([office, name]) => [office, name?.trim() || null])),
      requiredEvidence: required,
    });
    props.onSaved(saved);
  });
  return (
    <ActionForm class="form wide-form" onSubmit={() => save.run()}>
      <fieldset>
        <legend>办理时限与公示</legend>
        <TextField label="审核时限（工作日）" hint="不填为默认 5 个工作日" name="reviewWorkingDays" inputMode="numeric" value={days} onValue={setDays} />
        <TextField label="监督电话" hint="印在关爱补贴公示上，如 0818-2123456" name="supervisionPhone" value={phone} onValue={setPhone} />
      </fieldset>
      <fieldset>
        <legend>出具单位（文书上的单位名称）</legend>
        {OFFICES.map(([office, title, hint]) => (
          <TextField key={office} label={title} hint={`${hint}；不填则文书写地区名称`} name={office} value={offices[office] ?? ''} maxLength={60} onValue={(value) => setOffices({ ...offices, [office]: value })} />
        ))}
      </fieldset>
      <fieldset>
        <legend>批准前须上传的佐证材料</legend>
        <div class="table-scroll">
          <table class="list" data-testid="required-evidence-grid">
            <thead>
              <tr>
                <th>救助项目</th>
                {Object.values(EVIDENCE_KIND_NAMES).map((name) => (
                  <th key={name}>{name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {SERVICES.map((service) => (
                <tr key={service}>
                  <td>{SERVICE_NAMES[service]}</td>
                  {Object.entries(EVIDENCE_KIND_NAMES).map(([kind, name]) => (
                    <td key={kind} class="check-cell">
                      <input type="checkbox" aria-label={`${SERVICE_NAMES[service]}须上传${name}`} checked={(required[service] ?? []).includes(kind)} onChange={(event) => toggle(service, kind, event.currentTarget.checked)} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </fieldset>
      <FormActions error={save.error} errorTitle="设置未保存" running={save.running} label="保存地区设置" />
    </ActionForm>
  );
}

function YearForm(props: { regionCode: string }) {
  const [year, setYear] = useState(Number(chinaToday().slice(0, 4)));
  const [budget, setBudget] = useState({ rehabilitation: '', allowanceCounty: '', allowanceHardship: '', protectionBasicLiving: '' });
  const [target, setTarget] = useState('');
  const [saved, setSaved] = useState(false);
  const loaded = useAsync(async () => {
    const [stored, stats] = await Promise.all([
      api.get<Budget>(`/regions/${props.regionCode}/budgets/${year}`),
      api.get<{ children: { target: number; targetIsDefault: boolean } }>('/stats', { year, regionCode: props.regionCode }),
    ]);
    return { stored, stats };
  }, [props.regionCode, year]);
  // Filled once the year shown has its figures (a slower answer for another year never replaces what is typed).
  const shown = loaded.data?.stored.year === year ? loaded.data : null;
  useEffect(() => {
    if (!shown) return;
    const { stored, stats } = shown;
    setBudget({ rehabilitation: stored.rehabilitation ?? '', allowanceCounty: stored.allowanceCounty ?? '', allowanceHardship: stored.allowanceHardship ?? '', protectionBasicLiving: stored.protectionBasicLiving ?? '' });
    setTarget(String(stats.children.target));
  }, [shown]);
  const save = useAction(async () => {
    const money = (typed: string) => (typed.trim() === '' ? null : (parseMoneyInput(typed) ?? typed));
    await api.put(`/regions/${props.regionCode}/budgets/${year}`, {
      rehabilitation: money(budget.rehabilitation),
      allowanceCounty: money(budget.allowanceCounty),
      allowanceHardship: money(budget.allowanceHardship),
      protectionBasicLiving: money(budget.protectionBasicLiving),
    });
    await api.put(`/regions/${props.regionCode}/targets/${year}`, { childrenTarget: Number(target) });
    setSaved(true);
    loaded.reload();
  });
  return (
    <ActionForm class="form" onSubmit={() => save.run()}>
      <TextField label="年度" type="number" name="year" value={year} min={2000} max={2100} onValue={(value) => (setSaved(false), setYear(Number(value) || year))} />
      <TextField label="康复救助预算（元）" name="rehabilitation" inputMode="decimal" value={budget.rehabilitation} placeholder="未设置" onValue={(value) => setBudget({ ...budget, rehabilitation: value })} />
      <TextField label="关爱补贴预算·县本级财政（元）" name="allowanceCounty" inputMode="decimal" value={budget.allowanceCounty} placeholder="未设置" onValue={(value) => setBudget({ ...budget, allowanceCounty: value })} />
      <TextField label="关爱补贴预算·困难群众资金（元）" name="allowanceHardship" inputMode="decimal" value={budget.allowanceHardship} placeholder="未设置" onValue={(value) => setBudget({ ...budget, allowanceHardship: value })} />
      <TextField label="困境儿童基本生活费预算（元）" name="protectionBasicLiving" inputMode="decimal" value={budget.protectionBasicLiving} placeholder="未设置" onValue={(value) => setBudget({ ...budget, protectionBasicLiving: value })} />
      <TextField
        label="年度救助儿童目标（人）"
        hint={shown?.stats.children.targetIsDefault ? '当前为默认目标 270 人' : undefined}
        name="childrenTarget"
        inputMode="numeric"
        value={target}
        required
        onValue={setTarget}
      />
      {saved ? <Success>{year} 年预算和目标已保存。</Success> : null}
      {shown?.stored.rehabilitation ? <p class="muted">康复救助预算：{formatMoney(shown.stored.rehabilitation)}</p> : null}
      <FormActions error={save.error ?? loaded.error} errorTitle="未能保存" running={save.running} disabled={!shown} label="保存预算和目标" />
    </ActionForm>
  );
}

export function RegionSettingsPage(props: PageProps) {
  const code = props.query.get('code') ?? '';
  const [typed, setTyped] = useState(code);
  const [saved, setSaved] = useState<string | null>(null);
  const settings = useAsync(async () => (/^\d{6}$/.test(code) ? api.get<Settings>(`/regions/${code}/settings`) : null), [code]);
  useEffect(() => {
    if (/^\d{6}$/.test(typed) && typed !== code) navigate(`/regions?code=${typed}`);
  }, [typed]);
  return (
    <section>
      <h1>地区设置</h1>
      <div class="form inline">
        <RegionCodeField value={typed} onInput={setTyped} />
      </div>
      {!code ? <p class="muted">输入 6 位地区代码（如 511702），查看和修改该地区的设置。</p> : null}
      {saved ? <Success>{saved}</Success> : null}
      {settings.data ? (
        <>
          <h2>审核、公示、出具单位与佐证材料</h2>
          {settings.data.updatedAt ? <p class="muted">最近修改：{formatTimestamp(settings.data.updatedAt)}</p> : null}
          <SettingsForm
            key={`${settings.data.regionCode}-${settings.data.updatedAt}`}
            settings={settings.data}
            onSaved={() => {
              setSaved('地区设置已保存，之后生成的文书和审核时限按新设置。');
              settings.reload();
            }}
          />
          <h2>年度预算与目标</h2>
          <YearForm regionCode={settings.data.regionCode} />
        </>
      ) : null}
    </section>
  );
}
