import { runTask } from './tasks.js';

// The entry of a worker thread of the pool (src/workers/pool.ts): each task as runTask does it.
export default runTask;
