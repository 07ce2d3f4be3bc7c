import { describe, expect, it } from 'vitest';
import { describeDatabaseUrl, retryingConflicts, sqlState } from './client.js';

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
