/** Hand-made ScanResults covering every part of every report format. */
import type { EvidenceStep, Finding, Location } from '../../src/core/finding.js';
import type { ScanResult, ScanStats } from '../../src/core/result.js';
import type { RuleMeta } from '../../src/rules/types.js';

export const BASE_DIR = '/home/dev/project';

function loc(file: string, startLine: number, startColumn: number, endLine = startLine, endColumn = startColumn + 10): Location {
  return { file, startLine, startColumn, endLine, endColumn };
}

export const commandInjectionRule: RuleMeta = {
  id: 'py/command-injection',
  name: 'OS command built from untrusted data',
  cwes: [78, 88],
  severity: 'high',
  securitySeverity: 9.8,
  precision: 'high',
  kind: 'taint',
  languages: ['python'],
  banditIds: ['B602'],
  tags: ['injection'],
  docs: {
    summary: 'Untrusted data reaches an OS command.',
    what: 'Finds HTTP request data that flows into a shell command.',
    why: 'An attacker who controls part of a shell command can run any program with the privileges of the application.',
    example: 'cmd = request.args["host"]\nsubprocess.run(f"ping {cmd}", shell=True)',
    fix: 'subprocess.run(["ping", "-c", "1", host], shell=False)',
  },
};

export const hardcodedSecretRule: RuleMeta = {
  id: 'py/hardcoded-credentials',
  name: 'Hard-coded credentials',
  cwes: [798],
  severity: 'medium',
  securitySeverity: 7.5,
  precision: 'medium',
  kind: 'pattern',
  languages: ['python'],
  docs: {
    summary: 'A password or key is written in the source.',
    what: 'Finds string literals assigned to names that hold credentials.',
    why: 'Anyone who can read the code or the package can use the credential.',
    example: 'PASSWORD = "hunter2"',
    fix: 'PASSWORD = os.environ["APP_PASSWORD"]',
  },
};

export const sqlInjectionRule: RuleMeta = {
  id: 'py/sql-injection',
  name: 'SQL query built from untrusted data',
  cwes: [89],
  severity: 'high',
  securitySeverity: 8.8,
  precision: 'high',
  kind: 'taint',
  languages: ['python'],
  docs: {
    summary: 'Untrusted data reaches an SQL query.',
    what: 'Finds request data formatted into SQL text.',
    why: 'The attacker can change the meaning of the query.',
    example: 'cur.execute("SELECT * FROM t WHERE id = %s" % request.args["id"])',
    fix: 'cur.execute("SELECT * FROM t WHERE id = %s", (request.args["id"],))',
  },
};

export const ALL_RULES: RuleMeta[] = [commandInjectionRule, hardcodedSecretRule, sqlInjectionRule];

const taintEvidence: EvidenceStep[] = [
  {
    kind: 'source',
    location: loc('app/views.py', 10, 11, 10, 35),
    message: "`request.args.get('host')` is read from the HTTP request",
    code: "host = request.args.get('host')",
  },
  {
    kind: 'step',
    location: loc('app/views.py', 11, 5, 11, 30),
    message: '`host` is formatted into `cmd`',
    code: 'cmd = f"ping -c 1 {host}"',
  },
  {
    kind: 'sink',
    location: loc('app/views.py', 42, 5, 42, 36),
    message: '`cmd` runs in a shell via `subprocess.run(..., shell=True)`',
    code: 'subprocess.run(cmd, shell=True)',
  },
];

export const taintFinding: Finding = {
  ruleId: 'py/command-injection',
  cwes: [78, 88],
  severity: 'high',
  securitySeverity: 9.8,
  confidence: 'high',
  location: loc('app/views.py', 42, 5, 42, 36),
  code: 'subprocess.run(cmd, shell=True)',
  message: "`request.args.get('host')` reaches `subprocess.run(cmd, shell=True)`: a shell runs text the client controls.",
  fix: 'Pass an argument list and drop `shell=True`: `subprocess.run(["ping", "-c", "1", host])`.',
  evidence: taintEvidence,
  enclosing: 'ping_view',
  fingerprint: 'a1b2c3d4e5f60718',
  origin: 'static',
};

/** Hostile: backtick runs, HTML, table pipes, a mention, an ANSI escape and a bidi override. */
export const HOSTILE_CODE = 'API_KEY = "```` <script>alert(1)</script> | @admin \u001b[31m \u202e"';

export const patternFinding: Finding = {
  ruleId: 'py/hardcoded-credentials',
  cwes: [798],
  severity: 'medium',
  securitySeverity: 7.5,
  confidence: 'medium',
  location: loc('app/settings.py', 3, 1, 3, 60),
  code: HOSTILE_CODE,
  message: 'The literal assigned to `API_KEY` looks like a credential <script>alert(2)</script> | *bold* [link](http://x) @team',
  fix: 'Read it from the environment: `os.environ["API_KEY"]`.',
  evidence: [],
  enclosing: 'module',
  fingerprint: 'b2c3d4e5f6071829',
  origin: 'static',
  properties: { literalLength: 42, entropyHigh: true },
};

export const suppressedFinding: Finding = {
  ruleId: 'py/sql-injection',
  cwes: [89],
  severity: 'high',
  securitySeverity: 8.8,
  confidence: 'high',
  location: loc('app/db.py', 20, 5, 20, 50),
  code: 'cur.execute("SELECT * FROM users WHERE name = \'%s\'" % name)',
  message: '`name` is formatted into the SQL text passed to `cur.execute`',
  fix: 'Pass `name` as a query parameter: `cur.execute("... = %s", (name,))`.',
  evidence: [
    { kind: 'source', location: loc('app/db.py', 18, 12), message: '`sys.argv[1]` is read from the command line' },
    { kind: 'sink', location: loc('app/db.py', 20, 5), message: '`name` reaches `cur.execute`' },
  ],
  enclosing: 'lookup',
  fingerprint: 'c3d4e5f607182930',
  origin: 'static',
  suppression: { kind: 'inSource', justification: 'admin-only CLI, input is trusted' },
};

export const modelFinding: Finding = {
  ruleId: 'py/model-path-traversal',
  cwes: [22],
  severity: 'low',
  securitySeverity: 5.3,
  confidence: 'low',
  location: loc('app/files.py', 7, 9, 7, 40),
  code: 'open(os.path.join(UPLOADS, name))',
  message: '`name` may contain `../` and escape `UPLOADS`',
  fix: 'Resolve the path and check it stays under `UPLOADS`.',
  evidence: [],
  enclosing: 'download',
  fingerprint: 'd4e5f60718293041',
  origin: 'model-suggested',
  llm: { verdict: 'true_positive', rationale: 'the route passes `name` straight from the URL', model: 'small-local-model', fix: 'Use `werkzeug.utils.secure_filename(name)`.' },
};

export const modelTriagedFinding: Finding = {
  ...patternFinding,
  location: loc('app/settings.py', 9, 1, 9, 30),
  code: 'TEST_PASSWORD = "example"',
  message: 'The literal assigned to `TEST_PASSWORD` looks like a credential',
  fingerprint: 'e5f6071829304152',
  properties: undefined,
  llm: { verdict: 'false_positive', rationale: 'placeholder used only by the test suite', model: 'small-local-model' },
};

function stats(over: Partial<ScanStats> = {}): ScanStats {
  return { filesScanned: 12, filesSkipped: 1, linesScanned: 1340, bytesScanned: 48210, durationMs: 321, suppressed: 1, belowThreshold: 2, ...over };
}

export const scanResult: ScanResult = {
  tool: { name: 'redline', version: '0.1.0' },
  kind: 'scan',
  roots: ['app'],
  baseDir: BASE_DIR,
  findings: [suppressedFinding, modelFinding, patternFinding, modelTriagedFinding, taintFinding],
  diagnostics: [
    { level: 'warning', code: 'too-large', file: 'app/vendor/big.py', message: 'file is larger than 2 MiB and was skipped' },
    { level: 'error', code: 'syntax-error', file: 'app/broken.py', line: 4, message: "invalid syntax near '<script>'" },
  ],
  rules: ALL_RULES,
  stats: stats(),
  llm: {
    model: 'small-local-model',
    triaged: 4,
    proposed: 2,
    accepted: 1,
    rejected: [{ reason: 'no static path to the sink', count: 1 }],
    warnings: ['model reply for app/db.py was not valid JSON'],
  },
};

export const reviewResult: ScanResult = {
  tool: { name: 'redline', version: '0.1.0' },
  kind: 'review',
  roots: ['.'],
  baseDir: BASE_DIR,
  findings: [patternFinding, taintFinding],
  diagnostics: [],
  rules: ALL_RULES,
  stats: stats({ filesScanned: 2, linesScanned: 120, suppressed: 0, belowThreshold: 0, filesSkipped: 0 }),
  change: {
    base: 'origin/main',
    files: [
      { file: 'app/views.py', addedLines: 30, removedLines: 2, status: 'modified' },
      { file: 'app/settings.py', addedLines: 3, removedLines: 0, status: 'added' },
    ],
  },
  resolved: [{ ...suppressedFinding, suppression: undefined }],
};

export const emptyResult: ScanResult = {
  tool: { name: 'redline', version: '0.1.0' },
  kind: 'scan',
  roots: ['src', 'lib'],
  baseDir: BASE_DIR,
  findings: [],
  diagnostics: [{ level: 'note', code: 'decode-error', file: 'lib/latin1.py', message: 'not valid UTF-8' }],
  rules: ALL_RULES,
  stats: stats({ suppressed: 0, belowThreshold: 0 }),
};

export const emptyReviewResult: ScanResult = {
  ...reviewResult,
  findings: [],
  resolved: [],
  change: { base: 'HEAD~1', files: [{ file: 'README.md', addedLines: 1, removedLines: 1, status: 'modified' }] },
};
