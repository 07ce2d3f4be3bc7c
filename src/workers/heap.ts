import { setFlagsFromString } from 'node:v8';

// How far V8 lets a heap grow past what the last full collection kept. By default it lets the
// heap grow to about four and a half times the live size when collections are cheap: laying out a
// 100,000-line PDF keeps about 30 MB alive, yet the heap rose to 140 MB between collections and
// the process's peak memory grew with the length of the document (1.5× from 10,000 to 100,000
// lines). At 50 % the same document peaks within a tenth of a 10,000-line one, for a full
// collection every second or so of 3 to 7 ms (measured: bench/, README "Performance").
export const HEAP_GROWING_PERCENT = 50;

/** Applies HEAP_GROWING_PERCENT to every heap of this process (V8's flags are per process). */
export function limitHeapGrowth() {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
