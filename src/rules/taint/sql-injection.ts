import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/sql-injection',
    name: 'SQL query built from untrusted data',
    cwes: [89],
    severity: 'critical',
    securitySeverity: 9.8,
    precision: 'high',
    banditIds: ['B608', 'B610', 'B611'],
    docs: {
      summary: 'Untrusted data is concatenated or formatted into an SQL statement.',
      what: 'Follows untrusted data into the SQL text of DB-API `execute`/`executemany`/`executescript`, SQLAlchemy `text()`, Django `raw()`/`extra()`/`RawSQL` and pandas `read_sql`. Values passed as query parameters are not flagged.',
      why: 'The database parses the whole string as SQL: quotes in the value end the literal and let an attacker read or change any data the account can reach.',
      example: 'user = request.args["user"]\ncursor.execute(f"SELECT * FROM users WHERE name = \'{user}\'")',
      fix: 'user = request.args["user"]\ncursor.execute("SELECT * FROM users WHERE name = ?", (user,))',
    },
  },
  sinkKinds: ['sql'],
  effect: 'runs it as SQL',
  fix: () => 'Keep the SQL text constant and pass the value as a bound parameter (`cursor.execute("... WHERE id = %s", (value,))`, or `text(":name")` with `bindparams`).',
});
