import { sql, type SQL } from 'drizzle-orm';
import { sqlState, type Database } from '../../src/db/client.js';

/** Runs a statement and says how the database answered: 'done', or the SQLSTATE it refused with. */
export async function answerTo(db: Database, statement: string | SQL): Promise<string | undefined> {
  try {
    await db.execute(typeof statement === 'string' ? sql.raw(statement) : statement);
    return 'done';
  } catch (error) {
    return sqlState(error);
  }
}
