import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

// A roll as an HTTP answer. A province's roll has tens of thousands of transfers: checked against
// its schema and written out in one go, its JSON would hold the request thread for a second or
// more, and every other user's request would wait. A roll of more than STREAMED_TRANSFERS
// transfers is written as a stream instead, its transfers 500 at a time with a turn of the
// event loop between; the same JSON, keys in the same order. Smaller rolls (every test's) go
// through the response schema as any answer does, so the shape stays checked.

const STREAMED_TRANSFERS = 2000;
const TRANSFERS_PER_CHUNK = 500;

/** A roll's answer: its head, its transfers, and what follows them (held payees, objections). */
export type RollAnswer = { transfers: readonly unknown[] } & Record<string, unknown>;

export async function* rollJson(roll: RollAnswer): AsyncGenerator<string> {
  const keys = Object.keys(roll);
  const at = keys.indexOf('transfers');
  const part = (names: string[]) => Object.fromEntries(names.map((name) => [name, roll[name]]));
  const head = JSON.stringify(part(keys.slice(0, at)));
  yield `${head === '{}' ? '{' : `${head.slice(0, -1)},`}"transfers":[`;
  const { transfers } = roll;
  for (let start = 0; start < transfers.length; start += TRANSFERS_PER_CHUNK) {
    await new Promise((resolve) => setImmediate(resolve));
    yield `${start > 0 ? ',' : ''}${transfers
      .slice(start, start + TRANSFERS_PER_CHUNK)
      .map((transfer) => JSON.stringify(transfer))
      .join(',')}`;
  }
  const tail = JSON.stringify(part(keys.slice(at + 1)));
  yield tail === '{}' ? ']}' : `],${tail.slice(1)}`;
}

export function sendRoll(reply: FastifyReply, roll: RollAnswer, statusCode = 200): FastifyReply {
  reply.code(statusCode);
  if (roll.transfers.length <= STREAMED_TRANSFERS) return reply.send(roll);
  return reply.header('content-type', 'application/json; charset=utf-8').send(Readable.from(rollJson(roll)));
}
