import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { Database } from '../../src/db/client.js';
import type { Client, Response } from './testApp.js';

// The model-based property test of a monthly programme's roll (the care allowance's,
// allowance-property.test.ts; the basic-living allowance's, protection-rolls-property.test.ts):
// random sequences of the programme's commands over HTTP, the test clock moving month by month,
// each command followed by the invariants every monthly programme must hold. A programme brings its
// commands, its model (which months each record should pay, at what amount) and how to read its
// ledger; this file holds what does not depend on the programme: the runner, the guarded calls
// (nothing answers 500; a refused request changes nothing), the ledger's invariants and the
// calendar arithmetic of months and China dates.

export const DAY_MS = 86_400_000;
export const chinaDate = (instant: Date) => new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
export const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
export const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
export const monthOf = (index: number) => `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
export const addMonths = (month: string, n: number) => monthOf(monthIndex(month) + n);
export const ageOn = (birthDate: string, date: string) => Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (date.slice(5) < birthDate.slice(5) ? 1 : 0);
export const latest = (months: string[]) => months.reduce((max, month) => (month > max ? month : max), '');

export interface PropertySettings {
  seed: number;
  numRuns: number;
  maxCommands: number;
}

/**
 * A fixed seed and a modest number of runs for CI; PROPERTY_RUNS, PROPERTY_SEED and
 * PROPERTY_COMMANDS raise them for a long local search (PROPERTY_SEED=random draws one and prints it).
 */
export function propertySettings(defaults: PropertySettings): PropertySettings {
  const number = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
  const seed = process.env.PROPERTY_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : number('PROPERTY_SEED', defaults.seed);
  return { seed, numRuns: number('PROPERTY_RUNS', defaults.numRuns), maxCommands: number('PROPERTY_COMMANDS', defaults.maxCommands) };
}

/** A command that checks the programme's invariants after it ran. */
export interface ProgrammeReal<Model> {
  checkInvariants(model: Model): Promise<void>;
}

export abstract class ProgrammeCommand<Model extends object, Real extends ProgrammeReal<Model>> implements fc.AsyncCommand<Model, Real> {
  abstract check(model: Readonly<Model>): boolean;
  /** Runs the command against the service and updates the model from what the service answered. */
  abstract act(model: Model, real: Real): Promise<void>;
  abstract toString(): string;
  async run(model: Model, real: Real): Promise<void> {
    await this.act(model, real);
    await real.checkInvariants(model);
  }
}

/**
 * Runs random command sequences of a programme, each from a fresh set-up, under the settings; then
 * `finish`, when given, on the state the sequence left (e.g. mend what failed, pay a last roll and
 * check that everything owed was paid).
 */
export async function runProgrammeProperty<Model extends object, Real extends ProgrammeReal<Model>>(options: {
  settings: PropertySettings;
  commands: fc.Arbitrary<fc.AsyncCommand<Model, Real>>[];
  setup: () => Promise<{ model: Model; real: Real }>;
  finish?: (model: Model, real: Real) => Promise<void>;
}): Promise<void> {
  const { settings } = options;
  await fc.assert(
    fc.asyncProperty(fc.commands(options.commands, { maxCommands: settings.maxCommands, size: 'max' }), async (commands) => {
      const initial = await options.setup();
      await fc.asyncModelRun(() => initial, commands);
      await options.finish?.(initial.model, initial.real);
    }),
    { seed: settings.seed, numRuns: settings.numRuns },
  );
}

let countAllTables: string | null = null;

/**
 * A fingerprint of the database in one statement: every table's row count and the content of the
 * given (scoped) queries, each selecting one text column.
 */
export async function stateDigest(db: Database, contentQueries: readonly string[]): Promise<string> {
  const rowsOf = <T>(result: unknown) => ((result as { rows?: T[] }).rows ?? (result as T[]));
  if (!countAllTables) {
    const tables = rowsOf<{ table_name: string }>(
      await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`),
    );
    countAllTables = tables.map((table) => `(select count(*) from "${table.table_name}")::text`).join(" || ',' || ");
  }
  const contents = contentQueries.map((text) => `(select coalesce(md5(string_agg(md5(row_text), '' order by row_text)), '') from (${text}) content(row_text))`);
  const result = rowsOf<{ digest: string }>(await db.execute(sql.raw(`select ${[countAllTables, ...contents].join(" || '|' || ")} as digest`)));
  return result[0]!.digest;
}

export class ServiceRefusedBadly extends Error {}

/** How often each kind of call got each answer over the whole search (PROPERTY_STATS=1 prints it). */
export const callTally = new Map<string, number>();

/** The tally, e.g. for a long search to show that the commands reach the states they are meant to. */
export function printCallTally(): void {
  if (!process.env.PROPERTY_STATS) return;
  const lines = [...callTally].sort(([a], [b]) => a.localeCompare(b)).map(([call, count]) => `${String(count).padStart(6)}  ${call}`);
  process.stdout.write(`calls by answer:\n${lines.join('\n')}\n`);
}

/**
 * Calls the service on behalf of a command: an answer of 500 fails the property, and so does a
 * refusal (4xx) after which the state digest is not what it was before.
 */
export async function guardedCall(
  digest: () => Promise<string>,
  client: Client,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
): Promise<Response> {
  const before = method === 'GET' ? null : await digest();
  const response = await client.request(method, url, body);
  const answer = `${method} ${url.split('?')[0]!.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')} → ${response.status} ${response.body?.error?.code ?? ''}`;
  callTally.set(answer, (callTally.get(answer) ?? 0) + 1);
  if (response.status >= 500) throw new ServiceRefusedBadly(`${method} ${url} answered ${response.status}: ${JSON.stringify(response.body)}`);
  if (before !== null && response.status >= 400 && (await digest()) !== before) {
    throw new ServiceRefusedBadly(`${method} ${url} answered ${response.status} (${JSON.stringify(response.body)}) but changed the database`);
  }
  return response;
}

/** One live entry of the ledger: a month of a child paid (or to be paid) under a record in a roll. */
export interface LedgerEntry {
  recordId: string;
  childId: string;
  month: string;
  rollId: string;
  rollMonth: string;
  /** Draft or published (open), or issued to finance (sent). */
  rollState: 'open' | 'sent';
  /** A sent entry that an overpayment is recovering. */
  recovering: boolean;
  /** The entry's amount, a money string. */
  amount: string;
}

export interface LedgerRoll {
  id: string;
  /** Issued to finance (or settled): frozen, its total never changes again. */
  sent: boolean;
  /** The roll's total as the service reports it. */
  total: string;
  /** Each transfer's amount and the sum of its entries. */
  transfers: { amount: string; entryTotal: string }[];
}

export interface Ledger {
  liveEntries: LedgerEntry[];
  rolls: LedgerRoll[];
  /** Per record: the months its per-month view shows as due or held. */
  dueMonths: ReadonlyMap<string, ReadonlySet<string>>;
}

/** What the programme's model says each record should pay. */
export interface PayabilityModel {
  /** The records approved to pay. */
  approvedRecordIds(): string[];
  /** The child a record is of. */
  childOf(recordId: string): string;
  /** The months a record should pay, up to and including `throughMonth`. */
  payableMonths(recordId: string, throughMonth: string): ReadonlySet<string>;
  /** What a record should be paid for one of its payable months, a money string. */
  amountOf(recordId: string, month: string): string;
  currentMonth(): string;
}

/** What the invariants remember across the commands of one run: the total each roll had when first seen sent. */
export class LedgerMemory {
  readonly sentTotals = new Map<string, string>();
}

const cents = (amount: string) => Math.round(Number(amount) * 100);

/**
 * The invariants of any monthly programme's roll, over its ledger and its model: no child-month in
 * two live entries; every payable month in a live entry of the child or due in the record's view,
 * never both; nothing paid for a month no record of the child makes payable, unless it was sent and
 * is being recovered, and nothing recovered for a month a record makes payable; a payable month
 * paid at the amount the model gives it; every roll's total equal to its transfers, every transfer
 * to its entries; a sent roll's total never changing (with `memory`, kept over a run's commands).
 * Returns what breaks them.
 */
export function brokenLedgerInvariants(ledger: Ledger, model: PayabilityModel, memory?: LedgerMemory): string[] {
  const broken: string[] = [];
  const month = model.currentMonth();
  const records = model.approvedRecordIds();
  const payableForChild = (childId: string, throughMonth: string, monthOfEntry: string) =>
    records.some((recordId) => model.childOf(recordId) === childId && model.payableMonths(recordId, throughMonth).has(monthOfEntry));
  const seen = new Map<string, LedgerEntry>();
  for (const entry of ledger.liveEntries) {
    const key = `${entry.childId}/${entry.month}`;
    if (seen.has(key)) broken.push(`child-month ${key} is in two live entries (rolls ${seen.get(key)!.rollId} and ${entry.rollId})`);
    seen.set(key, entry);
    const payable = payableForChild(entry.childId, entry.rollMonth, entry.month);
    if (!payable && !(entry.rollState === 'sent' && entry.recovering)) {
      broken.push(`child ${entry.childId} is paid for ${entry.month} in roll ${entry.rollId} (${entry.rollState}) under record ${entry.recordId}: no record makes it payable${entry.rollState === 'sent' ? ' and it is not being recovered' : ''}`);
    }
    if (entry.recovering && payableForChild(entry.childId, month, entry.month)) broken.push(`child ${entry.childId}: ${entry.month} is being recovered though a record makes it payable`);
    if (model.payableMonths(entry.recordId, entry.rollMonth).has(entry.month) && cents(entry.amount) !== cents(model.amountOf(entry.recordId, entry.month))) {
      broken.push(`record ${entry.recordId}: ${entry.month} is paid ${entry.amount} in roll ${entry.rollId}, the model says ${model.amountOf(entry.recordId, entry.month)}`);
    }
  }
  for (const recordId of records) {
    const childId = model.childOf(recordId);
    const live = new Set(ledger.liveEntries.filter((entry) => entry.childId === childId).map((entry) => entry.month));
    const due = ledger.dueMonths.get(recordId) ?? new Set<string>();
    const payableMonths = model.payableMonths(recordId, month);
    for (const payable of payableMonths) {
      if (!live.has(payable) && !due.has(payable)) broken.push(`record ${recordId}: ${payable} is payable but neither in a live entry nor due`);
      if (live.has(payable) && due.has(payable)) broken.push(`record ${recordId}: ${payable} is both in a live entry and due`);
    }
    for (const shown of due) if (!payableMonths.has(shown)) broken.push(`record ${recordId}: ${shown} is shown as due but is not payable`);
  }
  for (const roll of ledger.rolls) {
    const transfers = roll.transfers.reduce((sum, transfer) => sum + cents(transfer.amount), 0);
    if (cents(roll.total) !== transfers) broken.push(`roll ${roll.id}: total ${roll.total} is not the sum of its transfers (${(transfers / 100).toFixed(2)})`);
    for (const transfer of roll.transfers) if (cents(transfer.amount) !== cents(transfer.entryTotal)) broken.push(`roll ${roll.id}: a transfer of ${transfer.amount} has entries of ${transfer.entryTotal}`);
    if (memory && roll.sent) {
      const first = memory.sentTotals.get(roll.id);
      if (first === undefined) memory.sentTotals.set(roll.id, roll.total);
      else if (cents(first) !== cents(roll.total)) broken.push(`roll ${roll.id}: sent with a total of ${first}, now ${roll.total}`);
    }
  }
  return broken;
}
