import type { ComponentChildren } from 'preact';
import { ApiError } from '../api.js';
import { errorMessage, fieldName } from '../words.js';

// What a page says besides its content: that it is loading, that there is nothing, that something
// was done, and an error of the API in words a clerk understands.

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

export function Success(props: { children: ComponentChildren }) {
  return (
    <div class="success" role="status">
      {props.children}
    </div>
  );
}

/** A page of one record until the record is there: that it is loading, or why it could not be read. */
export function RecordPending(props: { record: { loading: boolean; error: unknown } }) {
  return <section>{props.record.loading ? <Loading when /> : <ErrorNotice error={props.record.error} />}</section>;
}
