import type { ComponentChildren } from 'preact';
import { ApiError } from '../api.js';
import { errorMessage, fieldName } from '../words.js';

// What a page says besides its content: that it is loading, that there is nothing, that something
// was done, and an error of the API in words a clerk understands.

interface ValidationDetail {
  field?: string | null;
  message?: string;
  /** What to do, in Chinese (the service says it for every field it refuses). */
  hint?: string;
  row?: number;
  fileRow?: number;
  code?: string;
}

/** One refused field as a clerk reads it: the row of the file, the column or field, and what to do. */
export function detailLine(detail: ValidationDetail): string | null {
  const row = detail.fileRow ?? detail.row;
  const field = fieldName(detail.field);
  if (!field && !detail.hint && row === undefined) return null;
  const where = [row === undefined ? null : `第 ${row} 行`, field ? `「${field}」` : null].filter(Boolean).join(' ');
  return `${where}${where ? '：' : ''}${detail.hint ?? '请检查'}`;
}

/**
 * An error of the API in words a clerk understands: for refused input, each field (and row) at
 * fault with what to do; the technical text only for a failure of the service itself (5xx, or no
 * answer), where an administrator will need the request number.
 */
export function ErrorNotice(props: { error: unknown; title?: string }) {
  const { error } = props;
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : new ApiError(0, 'INTERNAL_ERROR', String(error));
  const details = (apiError.details as ValidationDetail[]).filter((detail) => detail && typeof detail === 'object');
  const lines = apiError.code === 'VALIDATION_FAILED' ? [...new Set(details.map(detailLine).filter((line): line is string => line !== null))] : [];
  const technical = apiError.status === 0 || apiError.status >= 500;
  const summary = apiError.code === 'VALIDATION_FAILED' && lines.length === 0 ? '填写的内容有误，请核对后再提交。' : errorMessage(apiError.code);
  return (
    <div class="error" role="alert">
      <p>
        {props.title ? <strong>{props.title}：</strong> : null}
        {summary}
      </p>
      {lines.length > 0 ? (
        <ul data-testid="error-fields">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      {technical ? (
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
      ) : null}
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
