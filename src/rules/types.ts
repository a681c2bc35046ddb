/** Rule metadata and the two kinds of rule redline runs: taint rules and pattern rules. */
import type { Confidence, EvidenceStep, Severity } from '../core/finding.js';
import type { Expr, ModuleIR, Span, Stmt } from '../ir/types.js';

export type Precision = 'very-high' | 'high' | 'medium' | 'low';

export interface RuleDocs {
  /** One line: what the rule finds. */
  summary: string;
  /** What it does (Ruff's "What it does"). */
  what: string;
  /** Why is this bad. */
  why: string;
  /** Example of flagged code. */
  example: string;
  /** Use instead: the fixed code. */
  fix: string;
}

export interface RuleMeta {
  id: string; // "py/command-injection"
  /** Short human name, e.g. "OS command built from untrusted data". */
  name: string;
  cwes: number[]; // most specific first
  severity: Severity;
  /** CVSS-like 0.0–10.0 (SARIF `security-severity`). */
  securitySeverity: number;
  precision: Precision;
  kind: 'taint' | 'pattern';
  languages: Array<'python'>;
  /** Bandit test ids this rule corresponds to, so `# nosec B602` suppresses it. */
  banditIds?: string[];
  tags?: string[];
  docs: RuleDocs;
}

/** A taint rule: findings come from the engine when a source label reaches one of its sink kinds. */
export interface TaintRule {
  meta: RuleMeta;
  /** Sink kinds (model files' `kind:`) this rule reports. */
  sinkKinds: string[];
  /** Source label kinds this rule accepts (default: the enabled threat models, e.g. remote). */
  sourceKinds?: string[];
  /** Confidence for a complete flow. */
  confidence: Confidence;
  /**
   * Where the finding is located: at the sink (default), or at the source when the source is the
   * defect (a predictable random number is the weakness; where it ends up is the evidence).
   */
  reportAt?: 'sink' | 'source';
  /** Fix text for this flow. */
  fix: (flow: FlowDescription) => string;
  message: (flow: FlowDescription) => string;
}

export interface FlowDescription {
  sourceText: string; // e.g. "request.args.get('cmd')"
  sourceKind: string; // remote, local, sensitive, weak-random, ...
  sinkText: string; // e.g. "subprocess.run(cmd, shell=True)"
  sinkCallee: string; // qualified callee, e.g. "subprocess.run"
  sinkKind: string;
  /** Name of the argument (or parameter) that carries the taint. */
  sinkArgument?: string;
}

/** What a pattern rule reports; the pipeline turns it into a Finding. */
export interface PatternReport {
  span: Span;
  message: string;
  fix?: string;
  confidence?: Confidence;
  severity?: Severity;
  /** Override the rule's CWEs for this report (e.g. CWE-259 vs CWE-798). Most specific first. */
  cwes?: number[];
  evidence?: EvidenceStep[];
}

export interface ScopeInfo {
  /** Qualified name of the enclosing function or class, or the module name. */
  qualname: string;
  /** The innermost enclosing function statement list, if any. */
  functionName?: string;
  className?: string;
}

export interface Visit {
  node: Expr | Stmt;
  isStmt: boolean;
  scope: ScopeInfo;
}

/** The `k` of a statement or expression. */
export type NodeKind = Expr['k'] | Stmt['k'];

/** The statements and expressions whose kind is one of K. */
export type NodeOfKind<K extends NodeKind> = Expr | Stmt extends infer N ? (N extends { k: infer NK } ? ([Extract<NK, K>] extends [never] ? never : N) : never) : never;

/** A visit whose node is of one of the kinds K. */
export interface VisitOf<K extends NodeKind> extends Visit {
  node: NodeOfKind<K>;
}

export interface RuleContext {
  module: ModuleIR;
  /** Resolves a name/attribute chain to its qualified dotted name through imports ("sp.run" -> "subprocess.run"). */
  qualifiedName(expr: Expr): string | undefined;
  /** Constant value of an expression when it is known (literals, module/function constants, simple arithmetic). */
  constValue(expr: Expr): import('../ir/types.js').ConstValue | undefined;
  /** Visits every statement and expression of the module in source order. */
  walk(visitor: (v: Visit) => void): void;
  /**
   * The visits of `walk` whose node has one of the given kinds, in walk order. Indexed once per
   * module: iterating these is what `walk` with a kind test does, without visiting every node.
   */
  visitsOf<K extends NodeKind>(...kinds: K[]): ReadonlyArray<VisitOf<K>>;
  /** The nodes of one kind, in walk order (visitsOf without the scopes, and without making Visit objects). */
  nodesOf<K extends NodeKind>(kind: K): ReadonlyArray<NodeOfKind<K>>;
  /** Per-module memo: `build()` runs once per key and module; rules share what helpers derive. */
  memo<T>(key: object, build: () => T): T;
  /** Whether the module looks like a test file. */
  isTestFile: boolean;
  /** Line text (1-based). */
  line(n: number): string;
  report(r: PatternReport): void;
  /**
   * Data-flow query for rules that use the taint engine to cut noise: the source kinds
   * (e.g. "sensitive", "remote") that may reach this expression. Empty when none is known.
   */
  taintKindsAt(expr: Expr): string[];
}

export interface PatternRule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export type Rule = TaintRule | PatternRule;

export function isTaintRule(r: Rule): r is TaintRule {
  return r.meta.kind === 'taint';
}
