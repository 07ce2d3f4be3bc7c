import { useState } from 'preact/hooks';
import { DownloadButton } from '../../kit/download.js';
import { ActionForm, Field } from '../../kit/form.js';

// The filter form of the auditor's two lists (the audit trail, the access log): its fields, 查询
// (the list shows what the fields say once pressed) and 导出 Excel of what the applied filter finds.

export interface FilterField {
  name: string;
  label: string;
  placeholder?: string;
  type?: 'date';
  maxLength?: number;
}

/** A day range (China dates, each day whole), shared by both lists. */
export const DATE_FIELDS: FilterField[] = [
  { name: 'from', label: '从', type: 'date' },
  { name: 'to', label: '至', type: 'date' },
];

export function useFilterForm(fields: FilterField[], exportPath: string, exportName: string) {
  const empty = Object.fromEntries(fields.map((field) => [field.name, '']));
  const [draft, setDraft] = useState<Record<string, string>>(empty);
  const [applied, setApplied] = useState<Record<string, string>>(empty);
  const query = Object.fromEntries(Object.entries(applied).filter(([, value]) => value.trim() !== '').map(([key, value]) => [key, value.trim()]));
  const form = (
    <ActionForm class="filters form" onSubmit={() => setApplied(draft)}>
      {fields.map((field) => (
        <Field key={field.name} label={field.label}>
          <input
            name={field.name}
            type={field.type ?? 'text'}
            value={draft[field.name]}
            placeholder={field.placeholder}
            maxLength={field.maxLength}
            onInput={(event) => setDraft({ ...draft, [field.name]: event.currentTarget.value })}
          />
        </Field>
      ))}
      <button type="submit">查询</button>
      <DownloadButton path={`${exportPath}?${new URLSearchParams(query).toString()}`} fallbackName={exportName}>
        导出 Excel
      </DownloadButton>
    </ActionForm>
  );
  return { query, form };
}
