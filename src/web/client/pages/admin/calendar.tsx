import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { chinaToday, formatDate } from '../../format.js';
import { useAction, useAsync } from '../../kit/data.js';
import { ActionForm, Field, FormActions, TextField } from '../../kit/form.js';
import { Success } from '../../kit/notices.js';
import type { PageProps } from '../../types.js';

// The working calendar (工作日历): a year's public holidays and make-up working days, as the State
// Council publishes them. An admin's record wins over the package's data; a year nobody knows counts
// Monday to Friday, and the page says so, since every review deadline is counted on it.

interface CalendarYear {
  year: number;
  source: 'recorded' | 'package' | 'weekdays';
  holidays: string[];
  workdays: string[];
}

const SOURCE_NAMES: Record<CalendarYear['source'], string> = {
  recorded: '管理员录入（优先于软件包数据）',
  package: '软件包 chinese-days 的数据',
  weekdays: '尚无该年数据：仅按周一至周五计算工作日，请按国务院公布的放假安排录入',
};

/** Dates typed one a line, or separated by spaces, commas or 、. */
const datesOf = (text: string) => text.split(/[\s,，、]+/).map((date) => date.trim()).filter(Boolean);

export function CalendarPage(_props: PageProps) {
  const [year, setYear] = useState(Number(chinaToday().slice(0, 4)) + 1);
  const [holidays, setHolidays] = useState('');
  const [workdays, setWorkdays] = useState('');
  const [saved, setSaved] = useState(false);
  const calendar = useAsync(() => api.get<CalendarYear>(`/calendar/${year}`), [year]);
  // The year's days fill the fields once they arrive for the year shown (a year typed meanwhile
  // waits for its own), so that what the admin types is never replaced by a slower answer.
  const shown = calendar.data?.year === year ? calendar.data : null;
  useEffect(() => {
    if (!shown) return;
    setHolidays(shown.holidays.join('\n'));
    setWorkdays(shown.workdays.join('\n'));
  }, [shown]);
  const save = useAction(async () => {
    await api.put(`/calendar/${year}`, { holidays: datesOf(holidays), workdays: datesOf(workdays) });
    setSaved(true);
    calendar.reload();
  });
  return (
    <section>
      <h1>工作日历</h1>
      <p class="muted">审核时限按工作日计算。每年国务院公布放假安排后，如软件包尚未收录，请在此录入该年的法定节假日和调休上班日。</p>
      <ActionForm class="form" onSubmit={() => save.run()}>
        <TextField label="年度" type="number" name="year" value={year} min={2000} max={2100} onValue={(value) => (setSaved(false), setYear(Number(value) || year))} />
        {shown ? (
          <p class={shown.source === 'weekdays' ? 'warning' : 'muted'} data-testid="calendar-source">
            {year} 年数据来源：{SOURCE_NAMES[shown.source]}
          </p>
        ) : null}
        <Field label="法定节假日（每行一个日期，如 2027-01-01；假期中的周末也列入）" wide>
          <textarea name="holidays" rows={8} value={holidays} onInput={(event) => setHolidays(event.currentTarget.value)} />
        </Field>
        <Field label="调休上班日（周六或周日上班的日期）" wide>
          <textarea name="workdays" rows={4} value={workdays} onInput={(event) => setWorkdays(event.currentTarget.value)} />
        </Field>
        {saved ? <Success>已录入 {year} 年的工作日历：{datesOf(holidays).length} 个节假日，{datesOf(workdays).length} 个调休上班日。</Success> : null}
        {shown && shown.holidays.length > 0 ? (
          <p class="muted">
            第一个节假日 {formatDate(shown.holidays[0])}，最后一个 {formatDate(shown.holidays.at(-1))}。
          </p>
        ) : null}
        <FormActions error={save.error ?? calendar.error} errorTitle="未能录入" running={save.running} disabled={!shown} label={`录入 ${year} 年工作日历`} />
      </ActionForm>
    </section>
  );
}
