import { useState } from 'preact/hooks';
import { api, saveBlob } from '../api.js';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_CLAIM } from '../../../domain/evidence.js';
import { formatTimestamp } from '../format.js';
import { useAction, useAsync } from '../kit/data.js';
import { ErrorNotice, Loading } from '../kit/notices.js';
import type { Attachment } from '../types.js';
import { EVIDENCE_KIND_NAMES, label } from '../words.js';

// Evidence (佐证材料) on a claim: the files attached (opened or saved in the session), the kinds the
// region still requires, and for the institution, while the claim waits, adding and removing files.

const ACCEPTED = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';

/** "1.2 MB", "340 KB": a file's size as people read it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** What is wrong with a chosen file before it is sent (the service checks again, by content). */
export function fileProblem(file: File): string | null {
  if (file.size === 0) return `「${file.name}」是空文件`;
  if (file.size > MAX_ATTACHMENT_BYTES) return `「${file.name}」有 ${formatBytes(file.size)}，超过 10 MB：请降低扫描分辨率或分成几份`;
  if (!/\.(pdf|jpe?g|png)$/i.test(file.name) && !['application/pdf', 'image/jpeg', 'image/png'].includes(file.type)) {
    return `「${file.name}」不是 PDF、JPG 或 PNG 文件：请扫描或另存为其中一种`;
  }
  return null;
}

/** Sends one file of evidence to a claim. */
export function uploadEvidence(claimId: string, kind: string, file: File) {
  return api.upload<Attachment>(`/claims/${claimId}/attachments`, file, { kind, fileName: file.name });
}

/** The kinds a region requires for a service (every role may read them). */
export function useRequiredEvidence(regionCode: string | null | undefined, service: string) {
  const required = useAsync(
    async () => (regionCode ? (await api.get<{ requiredEvidence: Record<string, string[]> }>(`/regions/${regionCode}/required-evidence`)).requiredEvidence : {}),
    [regionCode],
  );
  return required.data?.[service] ?? [];
}

/** The kinds still missing, said as the reviewer and the institution need it. */
export function MissingEvidence(props: { missing: string[]; forInstitution: boolean }) {
  if (props.missing.length === 0) return null;
  return (
    <p class="warning" data-testid="evidence-missing">
      尚缺佐证材料：<strong>{props.missing.map((kind) => label(EVIDENCE_KIND_NAMES, kind)).join('、')}</strong>
      {props.forInstitution ? '。请上传后再等待审核。' : '。补齐前不能批准，可退回机构补充。'}
    </p>
  );
}

/** A kind and a file chosen together; the button adds them. */
export function EvidencePicker(props: { onPick(kind: string, file: File): Promise<unknown> | void; required: string[]; disabled?: boolean }) {
  const [kind, setKind] = useState(props.required[0] ?? 'attendance');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <div class="evidence-picker">
      <label class="field">
        <span class="field-label">材料类别</span>
        <select name="evidenceKind" value={kind} onChange={(event) => setKind(event.currentTarget.value)}>
          {Object.entries(EVIDENCE_KIND_NAMES).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
              {props.required.includes(code) ? '（本地区要求）' : ''}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span class="field-label">选择文件（PDF、JPG 或 PNG，每个不超过 10 MB）</span>
        <input
          type="file"
          name="evidenceFile"
          accept={ACCEPTED}
          multiple
          disabled={props.disabled}
          onChange={async (event) => {
            const input = event.currentTarget;
            const files = Array.from(input.files ?? []);
            const problems = files.map(fileProblem).filter((text): text is string => text !== null);
            setProblem(problems.length > 0 ? problems.join('；') : null);
            for (const file of files.filter((candidate) => !fileProblem(candidate))) await props.onPick(kind, file);
            input.value = '';
          }}
        />
      </label>
      {problem ? (
        <p class="error" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

/** Opens a file in a new tab from the session (a PDF in the browser's viewer, a photo as it is). */
async function openFile(path: string, name: string) {
  const blob = await api.blob(path);
  const url = URL.createObjectURL(blob);
  const opened = window.open(url, '_blank');
  // A blocked pop-up saves the file instead.
  if (!opened) saveBlob(blob, name);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The files of a claim; the institution adds and removes them while the claim is submitted or returned. */
export function EvidencePanel(props: { claimId: string; canChange: boolean; forInstitution: boolean; onChange?(): void }) {
  const list = useAsync(() => api.get<{ items: Attachment[]; evidenceMissing: string[] }>(`/claims/${props.claimId}/attachments`), [props.claimId]);
  const changed = () => {
    list.reload();
    props.onChange?.();
  };
  const add = useAction(async (kind: string, file: File) => {
    await uploadEvidence(props.claimId, kind, file);
    changed();
  });
  const remove = useAction(async (attachment: Attachment) => {
    if (!window.confirm(`删除「${attachment.fileName}」吗？删除后需要重新上传。`)) return;
    await api.delete(`/claims/${props.claimId}/attachments/${attachment.id}`);
    changed();
  });
  const view = useAction((attachment: Attachment) => openFile(`/claims/${props.claimId}/attachments/${attachment.id}`, attachment.fileName));
  const save = useAction((attachment: Attachment) => api.download(`/claims/${props.claimId}/attachments/${attachment.id}`, attachment.fileName));
  const items = list.data?.items ?? [];
  return (
    <section class="evidence" data-testid="evidence">
      <h2>佐证材料</h2>
      <Loading when={list.loading && !list.data} />
      <ErrorNotice error={list.error} />
      <MissingEvidence missing={list.data?.evidenceMissing ?? []} forInstitution={props.forInstitution} />
      {list.data && items.length === 0 ? <p class="muted">尚未上传材料。</p> : null}
      {items.length > 0 ? (
        <ul class="evidence-list">
          {items.map((attachment) => (
            <li key={attachment.id}>
              <span class="evidence-kind">{label(EVIDENCE_KIND_NAMES, attachment.kind)}</span>
              <span class="evidence-name" title={attachment.fileName}>
                {attachment.fileName}
              </span>
              <span class="muted">
                {formatBytes(attachment.bytes)}，{formatTimestamp(attachment.uploadedAt)}
              </span>
              <span class="evidence-actions">
                <button type="button" class="link" onClick={() => view.run(attachment)}>
                  查看
                </button>
                <button type="button" class="link" onClick={() => save.run(attachment)}>
                  下载
                </button>
                {props.canChange ? (
                  <button type="button" class="link danger" onClick={() => remove.run(attachment)}>
                    删除
                  </button>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorNotice error={view.error ?? save.error ?? remove.error} title="未能办理" />
      {props.canChange ? (
        items.length >= MAX_ATTACHMENTS_PER_CLAIM ? (
          <p class="muted">每份申报最多 {MAX_ATTACHMENTS_PER_CLAIM} 个文件；如需再传，请先删除一个。</p>
        ) : (
          <>
            <EvidencePicker required={list.data?.evidenceMissing ?? []} disabled={add.running} onPick={(kind, file) => add.run(kind, file)} />
            {add.running ? <p class="muted">正在上传…</p> : null}
            <ErrorNotice error={add.error} title="材料未上传" />
          </>
        )
      ) : null}
    </section>
  );
}
