// The worker entry when the service runs from its TypeScript source (tests, tsx): TypeScript is
// loaded through tsx in this thread, then the entry itself. The built service (dist/) uses
// tasks.worker.js directly and never loads this file.
import { register } from 'tsx/esm/api';

register();
const { default: runTask } = await import(new URL('./tasks.worker.ts', import.meta.url).href);
export default runTask;
