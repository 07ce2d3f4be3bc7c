import { createHash } from 'node:crypto';

/** SHA-256 as lower-case hex: the hash printed on documents and stored beside their bytes. */
export function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
