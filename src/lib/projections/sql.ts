import type { Statement } from 'better-sqlite3';
import { EbError, ExitCode, usageError } from '../cli/errors.js';
import type { Db } from './db.js';

const READ_HINT =
  'only one SELECT (or WITH ... SELECT) statement is allowed; the database is opened read-only';

/**
 * Prepares a statement for `projection show --sql`, refusing anything that is not a single
 * read-only query. Two guards: the text must start with SELECT or WITH, and SQLite itself must
 * report the prepared statement as read-only and returning rows (sqlite3_stmt_readonly), which
 * catches a WITH ... DELETE or a PRAGMA that writes. The database is also opened read-only.
 */
export function prepareReadOnly(db: Db, sql: string): Statement {
  const text = stripLeadingComments(sql).trim();
  if (!/^(select|with)\b/i.test(text))
    throw usageError(`refusing a statement that is not a SELECT: "${clip(text)}"`, READ_HINT);
  let stmt: Statement;
  try {
    stmt = db.prepare(text);
  } catch (err) {
    const m = (err as Error).message;
    throw new EbError(`bad SQL: ${m}`, {
      exitCode: ExitCode.usage,
      hint: /more than one statement/i.test(m)
        ? READ_HINT
        : 'check table and column names with `eventbench projection show <name>` (lists the tables)',
      cause: err,
    });
  }
  if (!stmt.readonly || !stmt.reader)
    throw usageError(`refusing a statement that would write: "${clip(text)}"`, READ_HINT);
  return stmt;
}

function stripLeadingComments(sql: string): string {
  let s = sql;
  for (;;) {
    const t = s.trimStart();
    if (t.startsWith('--')) s = t.slice(t.indexOf('\n') < 0 ? t.length : t.indexOf('\n') + 1);
    else if (t.startsWith('/*')) s = t.slice(t.indexOf('*/') < 0 ? t.length : t.indexOf('*/') + 2);
    else return t;
  }
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
