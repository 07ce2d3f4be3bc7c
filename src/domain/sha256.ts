import { createHash } from 'node:crypto';

/** SHA-256 as lower-case hex: the hash printed on documents and stored beside their bytes. */
export function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * sha256Hex of the JSON of an object whose last key holds a long array, written item by item and
 * yielding to the event loop every `itemsPerSlice` items: a batch of 100,000 lines or a province's
 * roll would otherwise hold every other request while one JSON string is built and hashed. `head`
 * is the object's JSON with that array empty (so it ends with `[]}`); the bytes hashed are those of
 * the whole JSON.
 */
export async function sha256OfJsonInSlices<T>(head: string, items: readonly T[], itemJson: (item: T) => string, itemsPerSlice: number): Promise<string> {
  if (!head.endsWith('[]}')) throw new Error('the head must end with its empty array');
  const hash = createHash('sha256');
  hash.update(head.slice(0, -2));
  for (let start = 0; start < items.length; start += itemsPerSlice) {
    hash.update((start === 0 ? '' : ',') + items.slice(start, start + itemsPerSlice).map(itemJson).join(','));
    await new Promise((resolve) => setImmediate(resolve));
  }
  hash.update(']}');
  return hash.digest('hex');
}
