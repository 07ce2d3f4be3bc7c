import type { ComponentChildren } from 'preact';
import { api } from '../api.js';
import { useAction } from './data.js';
import { ErrorNotice } from './notices.js';

/** A file of the API (a PDF, a spreadsheet) saved under its own name, in the signed-in session. */
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
