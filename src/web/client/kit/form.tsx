import { Fragment, type ComponentChildren, type ComponentType, type InputHTMLAttributes } from 'preact';
import { useState } from 'preact/hooks';
import { useAction } from './data.js';
import { ErrorNotice } from './notices.js';
import { href, navigate } from '../router.js';

// The console's forms: a field with its label, its hint and the error under it; a form that runs
// an action of the page; and the confirm step of an action that cannot be taken back (a second,
// deliberate click, or a cancel).

/** A labelled input; `error` is said under it (a value that cannot be right, caught as it is typed). */
export function Field(props: { label: string; hint?: string; children: ComponentChildren; wide?: boolean; error?: string | null; errorTestId?: string }) {
  return (
    <>
      <label class={props.wide ? 'field wide' : 'field'}>
        <span class="field-label">{props.label}</span>
        {props.children}
        {props.hint ? <span class="hint">{props.hint}</span> : null}
      </label>
      {props.error ? (
        <p class="error" role="alert" data-testid={props.errorTestId}>
          {props.error}
        </p>
      ) : null}
    </>
  );
}

/**
 * A labelled text input (or date, month, number, file name…): the value as typed, each change
 * told to `onValue`; every other attribute (type, inputMode, maxLength, required…) goes to the input.
 */
export function TextField(
  props: { label: string; hint?: string; wide?: boolean; error?: string | null; errorTestId?: string; value: string | number; onValue(value: string): void } & Omit<
    InputHTMLAttributes<HTMLInputElement>,
    'value' | 'onInput' | 'label'
  >,
) {
  const { label, hint, wide, error, errorTestId, onValue, ...input } = props;
  return (
    <Field label={label} hint={hint} wide={wide} error={error} errorTestId={errorTestId}>
      <input {...input} onInput={(event) => onValue(event.currentTarget.value)} />
    </Field>
  );
}

/**
 * The end of a form: what the API refused, then the button that submits it (and anything beside it).
 * `notice` says the refusal when a page has words of its own for it (sign-in: lockout, the password rules).
 */
export function FormActions(props: {
  error: unknown;
  errorTitle: string;
  running: boolean;
  label: ComponentChildren;
  disabled?: boolean;
  notice?: ComponentType<{ error: unknown; title: string }>;
  children?: ComponentChildren;
}) {
  const Notice = props.notice ?? ErrorNotice;
  return (
    <>
      <Notice error={props.error} title={props.errorTitle} />
      <div class="actions">
        <button type="submit" disabled={props.running || props.disabled}>
          {props.label}
        </button>
        {props.children}
      </div>
    </>
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

/**
 * The confirm step: the button that does it (disabled while it runs), and 取消. `submit` when the
 * button submits the form it stands in; otherwise `onConfirm` runs on click.
 */
export function ConfirmButtons(props: { label: ComponentChildren; running: boolean; onCancel(): void; onConfirm?(): void; danger?: boolean }) {
  return (
    <>
      <button type={props.onConfirm ? 'button' : 'submit'} class={props.danger ? 'danger' : undefined} disabled={props.running} onClick={props.onConfirm}>
        {props.label}
      </button>
      <button type="button" class="link" onClick={props.onCancel}>
        取消
      </button>
    </>
  );
}

/** The fields of a StepAction: drawn from its values, each change told by name. */
export type StepFields = (set: (name: string, value: string) => void, values: Record<string, string>) => ComponentChildren;

export const textField =
  (name: string, title: string, type = 'text'): StepFields =>
  (set, values) => (
    <Field label={title}>
      <input name={name} type={type} value={values[name] ?? ''} onInput={(event) => set(name, event.currentTarget.value)} required />
    </Field>
  );

export const selectField =
  (name: string, title: string, names: Record<string, string>): StepFields =>
  (set, values) => (
    <Field label={title}>
      <select name={name} value={values[name]} onChange={(event) => set(name, event.currentTarget.value)}>
        <CodeOptions names={names} />
      </select>
    </Field>
  );

/** Several fields in one action form, in order. */
export const fieldsOf =
  (...fields: StepFields[]): StepFields =>
  (set, values) => (
    <>
      {fields.map((field, index) => (
        <Fragment key={index}>{field(set, values)}</Fragment>
      ))}
    </>
  );

/** One small form per action on a record: a button that opens its fields, then 确认 or 取消. */
export function StepAction(props: { title: string; fields?: StepFields; run(values: Record<string, string>): Promise<unknown>; initial?: Record<string, string>; danger?: boolean }) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>(props.initial ?? {});
  const action = useAction(async () => {
    await props.run(values);
    setOpen(false);
  });
  if (!open) {
    return (
      <button type="button" class={props.danger ? 'secondary danger' : 'secondary'} onClick={() => setOpen(true)}>
        {props.title}
      </button>
    );
  }
  return (
    <ActionForm class="form inline" onSubmit={() => action.run()}>
      {props.fields?.((name, value) => setValues((current) => ({ ...current, [name]: value })), values)}
      <ConfirmButtons label={props.title.startsWith('确认') ? props.title : `确认${props.title}`} running={action.running} onCancel={() => setOpen(false)} />
      <ErrorNotice error={action.error} title={`未能${props.title}`} />
    </ActionForm>
  );
}

/**
 * A list's search by a child's name or ID number: what was typed goes into the page's address as
 * `q`, so a search can be bookmarked and the back button returns to it. A mistyped ID number is
 * said to be mistyped (`check`), not "not found".
 */
export function ChildSearchForm(props: { path: string; search: string; query?: Record<string, string | undefined>; check?(typed: string): string | null; children?: ComponentChildren }) {
  const [typed, setTyped] = useState(props.search);
  const [mistake, setMistake] = useState<string | null>(null);
  return (
    <ActionForm
      class="search"
      onSubmit={() => {
        const problem = props.check?.(typed) ?? null;
        setMistake(problem);
        if (!problem) navigate(href(props.path, { ...props.query, q: typed.trim().toUpperCase() || undefined }).slice(1));
      }}
    >
      <input name="q" placeholder="按姓名、完整身份证号或其后6位查找" aria-label="查找儿童" value={typed} onInput={(event) => setTyped(event.currentTarget.value)} maxLength={50} />
      <button type="submit" class="secondary">
        查找
      </button>
      {props.search ? <a href={href(props.path, props.query)}>显示全部</a> : null}
      {props.children}
      {mistake ? (
        <p class="error" role="alert" data-testid="id-number-mistake">
          {mistake}
        </p>
      ) : null}
    </ActionForm>
  );
}
