import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS_FOLDER } from '../db/client.js';

// The embedded database as a plain SQL file that `psql -f` loads into an empty PostgreSQL 15 or
// later, for the move from one office PC to a PostgreSQL server. The schema is the service's own
// migrations (the same files every start applies, on both databases); the data follows in COPY
// text format, each value as PostgreSQL writes it as text, which is how pg_dump writes data too.
// The WASM pg_dump of @electric-sql/pglite-tools would do the same, but that package pins its
// PGlite to another version than the service runs.

interface Journal {
  entries: { idx: number; tag: string }[];
}

/** The migration files in the order the journal applies them. */
function migrationSql(): string[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as Journal;
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map((entry) => `-- migration ${entry.tag}\n${readFileSync(join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), 'utf8').replaceAll('--> statement-breakpoint', '')}`);
}

/** A value in COPY's text format: \N for NULL; backslash, tab, newline and carriage return escaped. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\t\n\r]/g, (character) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[character]!);
}

/** Tables whose triggers refuse UPDATE, DELETE and TRUNCATE (migration 0014). */
const APPEND_ONLY_TABLES = ['audit_events', 'audit_seals', 'audit_seal_runs', 'access_log'];

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

interface TableInfo {
  schema: string;
  name: string;
  columns: string[];
}

/** The service's tables, each after every table its foreign keys point to. */
async function tablesInLoadOrder(client: PGlite): Promise<TableInfo[]> {
  const tables = await client.query<{ table_schema: string; table_name: string }>(
    `select table_schema, table_name from information_schema.tables
      where table_schema in ('public', 'drizzle') and table_type = 'BASE TABLE' order by table_schema, table_name`,
  );
  const columns = await client.query<{ table_schema: string; table_name: string; column_name: string }>(
    `select table_schema, table_name, column_name from information_schema.columns
      where table_schema in ('public', 'drizzle') order by table_schema, table_name, ordinal_position`,
  );
  const references = await client.query<{ child: string; parent: string }>(
    `select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent from pg_constraint c
      where c.contype = 'f' and c.conrelid <> c.confrelid`,
  );
  const key = (schema: string, name: string) => (schema === 'public' ? name : `${schema}.${name}`);
  const infos = new Map<string, TableInfo>();
  for (const table of tables.rows) infos.set(key(table.table_schema, table.table_name), { schema: table.table_schema, name: table.table_name, columns: [] });
  for (const column of columns.rows) infos.get(key(column.table_schema, column.table_name))?.columns.push(column.column_name);
  const parents = new Map<string, Set<string>>();
  for (const reference of references.rows) {
    const child = reference.child.replaceAll('"', '');
    if (!parents.has(child)) parents.set(child, new Set());
    parents.get(child)!.add(reference.parent.replaceAll('"', ''));
  }
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  const place = (name: string, path: Set<string>) => {
    if (placed.has(name) || !infos.has(name)) return;
    if (path.has(name)) throw new Error(`foreign keys form a cycle through ${name}`);
    path.add(name);
    for (const parent of parents.get(name) ?? []) place(parent, path);
    path.delete(name);
    placed.add(name);
    ordered.push(infos.get(name)!);
  };
  for (const name of [...infos.keys()].sort()) place(name, new Set());
  return ordered;
}

/**
 * Writes the whole database as SQL through `write`, in one transaction: the schema, then every
 * table's rows. The database must be migrated to the service's current schema.
 */
export async function exportSql(client: PGlite, write: (chunk: string) => void | Promise<void>, now: Date): Promise<{ tables: number; rows: number }> {
  // Timestamps as text in UTC, so that they read back as the same instants anywhere.
  await client.exec(`set TimeZone = 'UTC'; set DateStyle = 'ISO, YMD'; set IntervalStyle = 'postgres'; set extra_float_digits = 3`);
  const tables = await tablesInLoadOrder(client);
  await write(
    [
      `-- 残疾儿童康复救助结算服务: the embedded database exported ${now.toISOString()}.`,
      '-- Load into an empty PostgreSQL 15+ database: psql -v ON_ERROR_STOP=1 -d <database> -f <this file>',
      '\\set ON_ERROR_STOP on',
      "set client_encoding = 'UTF8';",
      'set standard_conforming_strings = on;',
      "set TimeZone = 'UTC';",
      'begin;',
      '',
    ].join('\n'),
  );
  for (const sql of migrationSql()) await write(`${sql}\n`);
  await write(
    [
      '-- The record of applied migrations, so that the service on PostgreSQL applies none of them again.',
      'create schema if not exists drizzle;',
      'create table if not exists drizzle."__drizzle_migrations" (id serial primary key, hash text not null, created_at bigint);',
      '-- Rows the migrations seeded are in the data below: they are deleted, each table after those',
      '-- that point to it. The append-only tables (the audit trail, its seals, the access log) refuse',
      '-- DELETE and TRUNCATE; the migrations seed none of them, and a TRUNCATE of a table they point',
      '-- to (users) would have to take them too.',
      ...[...tables]
        .reverse()
        .filter((table) => !APPEND_ONLY_TABLES.includes(table.name))
        .map((table) => `delete from ${quoteIdentifier(table.schema)}.${quoteIdentifier(table.name)};`),
      '',
    ].join('\n'),
  );
  let rows = 0;
  for (const table of tables) {
    const qualified = `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.name)}`;
    const columnList = table.columns.map(quoteIdentifier).join(', ');
    const result = await client.query<Record<string, string | null>>(
      `select ${table.columns.map((column, index) => `${quoteIdentifier(column)}::text as c${index}`).join(', ')} from ${qualified}`,
      [],
      { rowMode: 'object' },
    );
    await write(`copy ${qualified} (${columnList}) from stdin;\n`);
    for (const row of result.rows) await write(`${table.columns.map((_, index) => copyText(row[`c${index}`] ?? null)).join('\t')}\n`);
    await write('\\.\n\n');
    rows += result.rows.length;
  }
  await write(`select setval(pg_get_serial_sequence('drizzle."__drizzle_migrations"', 'id'), coalesce(max(id), 1)) from drizzle."__drizzle_migrations";\ncommit;\n`);
  return { tables: tables.length, rows };
}
