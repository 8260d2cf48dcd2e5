import Database from 'better-sqlite3';

/**
 * Keeps a long-running server's query plans right as its tables grow: `PRAGMA
 * optimize` re-gathers the planner's statistics of the tables whose size changed
 * much since they were last gathered (SQLite's own test), and does nothing otherwise.
 * The statistics live in the database file, so every connection to it uses them.
 */
export function optimizeDatabase(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('optimize');
  } finally {
    db.close();
  }
}
