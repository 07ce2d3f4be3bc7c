import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDatabaseUrl, postgresConnection, retryingConflicts, sqlState } from './client.js';

const conflict = (code: string) => Object.assign(new Error('wrapped'), { cause: { code } });

describe('retryingConflicts', () => {
  it('runs a transaction again after a deadlock or serialization failure', async () => {
    let calls = 0;
    const result = await retryingConflicts(async () => {
      calls += 1;
      if (calls === 1) throw conflict('40P01');
      if (calls === 2) throw conflict('40001');
      return 'done';
    });
    expect([result, calls]).toEqual(['done', 3]);
  });

  it('lets any other error through at once, and a conflict after the last try', async () => {
    let calls = 0;
    await expect(retryingConflicts(async () => {
      calls += 1;
      throw conflict('23505');
    })).rejects.toThrow();
    expect(calls).toBe(1);
    calls = 0;
    await expect(retryingConflicts(async () => {
      calls += 1;
      throw conflict('40P01');
    }, 3)).rejects.toThrow();
    expect(calls).toBe(3);
  });

  it('reads the SQLSTATE through drizzle’s wrapping', () => {
    expect(sqlState(conflict('40P01'))).toBe('40P01');
    expect(sqlState(new Error('plain'))).toBeUndefined();
  });
});

describe('describeDatabaseUrl', () => {
  it('names host, port, database and user, never the password', () => {
    expect(describeDatabaseUrl('postgres://rehab:s3cret@db.example:5433/settlement')).toBe('db.example:5433/settlement as rehab');
    expect(describeDatabaseUrl('postgresql://127.0.0.1/rehab')).toBe('127.0.0.1/rehab');
    expect(describeDatabaseUrl('postgres://u:p@h/d')).not.toContain('p@');
  });
});

describe('postgresConnection', () => {
  it('leaves sslmode=require (and no TLS) to postgres.js; reads the authority of sslrootcert for verify-full and verify-ca', () => {
    expect(postgresConnection('postgres://u@db/rehab?sslmode=require')).toEqual({ url: 'postgres://u@db/rehab?sslmode=require', ssl: undefined });
    expect(postgresConnection('postgres://u@db/rehab')).toEqual({ url: 'postgres://u@db/rehab', ssl: undefined });
    const folder = mkdtempSync(join(tmpdir(), 'rehab-ca-'));
    try {
      writeFileSync(join(folder, 'ca.pem'), 'PEM');
      const full = postgresConnection(`postgres://u@db/rehab?sslmode=verify-full&sslrootcert=${join(folder, 'ca.pem')}`);
      expect(full.url).toBe('postgres://u@db/rehab');
      expect(full.ssl).toMatchObject({ rejectUnauthorized: true });
      expect(String(full.ssl!.ca)).toBe('PEM');
      expect(full.ssl!.checkServerIdentity!('db', { subject: { CN: 'other' }, subjectaltname: 'DNS:other' } as never)).toBeInstanceOf(Error);
      const chainOnly = postgresConnection(`postgres://u@db/rehab?sslmode=verify-ca&sslrootcert=${join(folder, 'ca.pem')}`);
      expect(chainOnly.ssl!.checkServerIdentity!('db', {} as never)).toBeUndefined();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
