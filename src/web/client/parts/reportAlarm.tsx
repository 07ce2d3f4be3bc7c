import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatTimestamp } from '../format.js';
import { useAction } from '../kit/data.js';
import { ErrorNotice } from '../kit/notices.js';
import type { Report } from '../visitTypes.js';

// A child in danger is reported to the police at once, not after a review (protection.md §9): the
// instruction stands first and large, with the number to call, and a button to record when the
// police were called.

export function ReportAlarm(props: { instruction: string }) {
  return (
    <div class="alarm" role="alert" data-testid="report-instruction">
      <strong>{props.instruction}</strong>
      <a class="button danger call" href="tel:110">
        拨打 110
      </a>
    </div>
  );
}

/** Records that the police were called, now. */
export function PoliceCallButton(props: { reportId: string; onRecorded?(report: Report): void }) {
  const [recordedAt, setRecordedAt] = useState<string | null>(null);
  const record = useAction(async () => {
    const report = await api.post<Report>(`/protection/reports/${props.reportId}/police`, { at: new Date().toISOString() });
    setRecordedAt(report.policeNotifiedAt);
    props.onRecorded?.(report);
  });
  if (recordedAt) {
    return (
      <p class="success" role="status" data-testid="police-recorded">
        已记录报警时间：{formatTimestamp(recordedAt)}
      </p>
    );
  }
  return (
    <>
      <button type="button" class="danger" disabled={record.running} onClick={() => void record.run()}>
        已报警，记录报警时间
      </button>
      <ErrorNotice error={record.error} title="未能记录报警时间" />
    </>
  );
}
