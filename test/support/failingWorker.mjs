// A worker entry for tests of failure: the real tasks, except a reconciliation PDF for an
// institution named 渲染失败机构 throws inside the worker and one named 崩溃机构 ends the worker
// thread itself, as a crash or an out-of-memory kill would.
import { register } from 'tsx/esm/api';

register();
const { runTask } = await import(new URL('../../src/workers/tasks.ts', import.meta.url).href);

export default async function run(task) {
  if (task.kind === 'reconciliationPdf' && task.input.institutionName === '渲染失败机构') throw new Error('rendering failed inside the worker');
  if (task.kind === 'reconciliationPdf' && task.input.institutionName === '崩溃机构') process.exit(1);
  return runTask(task);
}
