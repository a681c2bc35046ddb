/**
 * Whole-program taint analysis: per-function summaries computed to a fixpoint over the call graph,
 * module bodies analysed for globals, and raw source-to-sink flows collected for the taint rules.
 */
import { PairMemo } from './pair-memo.js';
import type { Diagnostic } from '../../core/finding.js';
import type { Expr, FunctionDef, ModuleIR, Span, Stmt } from '../../ir/types.js';
import { collectUnitFacts, unitFacts, type UnitFacts } from '../../ir/facts.js';
import type { Program } from '../program.js';
import { Analyzer, BudgetExceeded } from './interpreter.js';
import {
  findMatching, matchesPattern, type FactoryModel, type Models, type RouteModel, type SanitizerModel, type SelfSourceModel, type SinkModel, type SourceModel,
} from './models.js';
import { emptySummary, type FunctionSummary, type RawFlow } from './summary.js';
import { join, mergeLabels, valuesEqual, type AbsValue, type FunctionRef, type Label, type Loc } from './values.js';
import { classifySensitiveName } from '../../core/sensitive-names.js';

export interface FunctionUnit {
  qname: string;
  /** undefined for a module body. */
  def?: FunctionDef;
  module: ModuleIR;
  className?: string;
  isStatic?: boolean;
  route?: RouteModel;
  closure?: Map<string, AbsValue>;
  moduleEnv?: Map<string, AbsValue>;
}

interface NestedAnalysis {
  closure: Map<string, AbsValue> | undefined;
  depth: number;
  qname: string;
  className: string | undefined;
  globalWrites: number;
  reads: Array<[string, AbsValue | undefined]>;
  summary: FunctionSummary;
}

export interface EngineOptions {
  /** Source kinds that are reported (threat models plus rule-specific kinds such as weak-random). */
  sourceKinds: Set<string>;
  /** Maximum analyses of one function during the fixpoint. */
  maxAnalysesPerFunction?: number;
  /**
   * Demand mode: analyse every unit of the `roots` modules (by name) and, of the rest of the
   * program, only what they need: their callees (syntactic call graph first, then whatever the
   * analysis resolves), the bodies of the modules those live in and of everything those depend on
   * (`dependencies`, as analysis/slice.ts computes them: globals are read through them), and the
   * functions writing those modules' globals (`global`). Flows are returned for the units of the
   * roots only. For them the results match a whole-program run when the roots are closed under
   * dependents (nothing outside them can see a change inside them): units run in the whole
   * program's order (see run), so even capped fixpoints end alike — checked on the standard
   * library's leaf modules, not proven.
   */
  demand?: { roots: ReadonlySet<string>; dependencies: ReadonlyMap<string, ReadonlySet<string>> };
}

export class Engine {
  private readonly kinds = new Map<string, number>();
  private readonly summaries = new Map<string, FunctionSummary>();
  private readonly callers = new Map<string, Set<string>>();
  private readonly units = new Map<string, FunctionUnit>();
  private readonly flowsByUnit = new Map<string, RawFlow[]>();
  private readonly moduleEnvs = new Map<string, Map<string, AbsValue>>();
  readonly diagnostics: Diagnostic[] = [];
  private readonly queued = new Set<string>();

  constructor(
    readonly program: Program,
    readonly models: Models,
    private readonly options: EngineOptions,
  ) {
    this.tracksSensitive = [...options.sourceKinds].some((k) => k.startsWith('sensitive-'));
    for (const s of models.sinks) this.kindBit(s.kind);
    for (const s of models.storeSinks) this.kindBit(s.kind);
    this.kindBit('xss');
  }

  // ---------------------------------------------------------------- kinds

  kindBit(kind: string): number {
    let b = this.kinds.get(kind);
    if (b === undefined) {
      if (this.kinds.size >= 30) return 0;
      b = 1 << this.kinds.size;
      this.kinds.set(kind, b);
    }
    return b;
  }

  kindMask(kinds: string[]): number {
    return kinds.reduce((m, k) => m | this.kindBit(k), 0);
  }

  sourceKindReportable(sourceKind: string, _sinkKind: string): boolean {
    return this.options.sourceKinds.has(sourceKind);
  }

  // ---------------------------------------------------------------- running

  run(): RawFlow[] {
    const roots = this.options.demand?.roots;
    if (roots && ![...roots].some((r) => this.program.modules.has(r))) return [];
    const modules = [...this.program.modules.values()];
    modules.forEach((m, i) => this.moduleIndex.set(m.name, i));
    for (const m of modules) this.collectUnits(m);
    let first: ModuleIR[];
    let initial: string[];
    if (roots) {
      const needed = this.demandClosure(roots);
      first = modules.filter((m) => needed.modules.has(m.name));
      initial = needed.units;
      this.active = new Set(initial);
    } else {
      first = modules;
      initial = [...this.units.keys()];
    }
    // Module bodies first: they define the globals functions read.
    for (const m of first) this.analyzeModuleBody(m);
    // The whole program's order even in demand mode: the units analysed then run in the same
    // relative order as in a whole-program run, so capped fixpoints end in the same state.
    this.order = calleesFirstOrder([...this.units.keys()], (q) => this.syntacticCallees(q));
    for (const q of initial) this.enqueue(q);
    const counts = new Map<string, number>();
    const cap = this.options.maxAnalysesPerFunction ?? 8;
    for (;;) {
      // Module bodies the analysis turned out to need (demand mode), in program order, before any
      // function reads them.
      if (this.pendingBodies.length) {
        const pending = this.pendingBodies.splice(0).sort((a, b) => this.moduleIndex.get(a)! - this.moduleIndex.get(b)!);
        for (const name of pending) this.analyzeModuleBody(this.program.modules.get(name)!);
        continue;
      }
      if (!this.heap.length) break;
      const q = this.popNext();
      const n = (counts.get(q) ?? 0) + 1;
      if (n > cap) continue;
      counts.set(q, n);
      const unit = this.units.get(q)!;
      const before = this.summaries.get(q);
      const after = this.analyzeUnit(unit);
      if (!after) {
        // Demand mode: the analysis reached a unit ordered before this one that had not been
        // analysed (a whole-program run would have): it goes first, then this one again.
        counts.set(q, n - 1);
        this.enqueue(q);
        continue;
      }
      if (!before || !summariesEqual(before, after)) {
        for (const c of this.callers.get(q) ?? []) if (this.units.has(c)) this.enqueue(c);
      }
    }
    // Module bodies again, now that summaries are known (script-style code calls functions).
    for (const m of modules) if (this.bodiesDone.has(m.name) && (!roots || roots.has(m.name))) this.analyzeUnit(this.moduleUnit(m));
    const all: RawFlow[] = [];
    for (const q of [...this.flowsByUnit.keys()].sort()) {
      if (roots && !roots.has(this.unitModule(q))) continue;
      all.push(...this.flowsByUnit.get(q)!);
    }
    return all;
  }

  /** Analyses run so far (module bodies and functions, re-analyses included, nested functions not). */
  get analyses(): number {
    return this.analysisCount;
  }

  private analysisCount = 0;

  /** Analyses of nested functions and lambdas run so far (calls answered by the memo aside). */
  get nestedAnalyses(): number {
    return this.nestedCount;
  }

  private nestedCount = 0;

  /** Qualified names of the functions analysed (all of them outside demand mode), sorted. */
  analysedFunctions(): string[] {
    return [...this.summaries.keys()].sort();
  }

  // ---------------------------------------------------------------- demand mode

  /** Units that may be analysed; undefined: all (whole-program mode). */
  private active: Set<string> | undefined;
  private readonly bodiesDone = new Set<string>();
  private readonly pendingBodies: string[] = [];
  /** Module -> units that read its globals before its body was analysed (re-analysed after it). */
  private readonly earlyReaders = new Map<string, Set<string>>();
  /** The unit whose analysis is running (nested analyses included). */
  private current: string | undefined;
  private readonly calleeMemo = new Map<string, readonly string[]>();
  private readonly moduleIndex = new Map<string, number>();
  /** A module body's first pass is running: function summaries read as empty. */
  private firstPass = false;
  /** ... the body of a root (or any body outside demand mode). */
  private firstPassOfRoot = true;

  private analyzeModuleBody(m: ModuleIR): void {
    this.bodiesDone.add(m.name);
    // As in a whole-program run, where every body's first pass comes before any function's analysis.
    this.firstPass = true;
    this.firstPassOfRoot = this.options.demand?.roots.has(m.name) ?? true;
    try {
      this.analyzeUnit(this.moduleUnit(m));
    } finally {
      this.firstPass = false;
    }
    const readers = this.earlyReaders.get(m.name);
    if (!readers) return;
    this.earlyReaders.delete(m.name);
    for (const r of readers) if (this.units.has(r)) this.enqueue(r);
  }

  /**
   * Module of a unit's flows: `mod.<module>` for a module body, and nested functions and lambdas
   * (`unit.<locals>.f`, `unit.<lambda>`) belong to their enclosing unit's module.
   */
  private unitModule(q: string): string {
    const cut = q.search(/\.<(locals|lambda)>/);
    const base = cut >= 0 ? q.slice(0, cut) : q;
    return this.units.get(base)?.module.name ?? (base.endsWith('.<module>') ? base.slice(0, -'.<module>'.length) : base);
  }

  /**
   * What demand mode starts from: every unit of the root modules, closed under the syntactic call
   * graph, the bodies of the modules those units live in and of their dependencies, what the
   * roots' bodies call (other bodies' calls only matter in their second pass, whose flows are not
   * reported), and the functions that write those modules' globals.
   */
  private demandClosure(roots: ReadonlySet<string>): { units: string[]; modules: Set<string> } {
    const modules = new Set<string>();
    const units = new Set<string>();
    const stack: string[] = [];
    const deps = this.options.demand!.dependencies;
    const needModule = (name: string): void => {
      if (modules.has(name) || !this.program.modules.has(name)) return;
      modules.add(name);
      if (roots.has(name)) stack.push(...this.syntacticCallees(`${name}.<module>`));
      stack.push(...this.globalWriters(name));
      for (const d of deps.get(name) ?? []) needModule(d);
    };
    for (const [q, u] of this.units) if (roots.has(u.module.name)) stack.push(q);
    for (const r of roots) if (this.program.modules.has(r)) needModule(r);
    while (stack.length) {
      const q = stack.pop()!;
      const u = this.units.get(q);
      if (!u || units.has(q)) continue;
      units.add(q);
      needModule(u.module.name);
      stack.push(...this.syntacticCallees(q));
    }
    return { units: [...this.units.keys()].filter((q) => units.has(q)), modules };
  }

  /** Units of a module that declare `global` names: they write its environment. */
  private globalWriters(module: string): readonly string[] {
    if (!this.writersByModule) {
      this.writersByModule = new Map();
      for (const [q, u] of this.units) {
        if (!u.def || !unitFacts(u.def).declaresGlobal) continue;
        const list = this.writersByModule.get(u.module.name);
        if (list) list.push(q);
        else this.writersByModule.set(u.module.name, [q]);
      }
    }
    return this.writersByModule.get(module) ?? [];
  }

  private writersByModule: Map<string, string[]> | undefined;

  /** In demand mode, a unit the analysis reached that was not analysed yet. */
  private activate(q: string): void {
    if (!this.active || this.active.has(q) || !this.units.has(q)) return;
    this.active.add(q);
    this.needBody(this.units.get(q)!.module.name);
    this.enqueue(q);
    const at = this.current === undefined ? undefined : this.order.get(this.current);
    // Stopping here leaves the side effects (argument kinds for the pattern rules, global writes)
    // of exactly the part of the analysis a whole-program run also went through before this call.
    if (at !== undefined && this.order.get(q)! < at) throw new SetBack();
  }

  /** In demand mode, makes sure a module's body, and those of its dependencies, are (or will be) analysed; true when it was already. */
  private needBody(module: string): boolean {
    if (!this.active || this.bodiesDone.has(module) || !this.program.modules.has(module)) return true;
    if (!this.pendingBodies.includes(module)) {
      this.pendingBodies.push(module);
      for (const w of this.globalWriters(module)) this.activate(w);
      for (const d of this.options.demand!.dependencies.get(module) ?? []) this.needBody(d);
    }
    return false;
  }

  private syntacticCallees(q: string): readonly string[] {
    let out = this.calleeMemo.get(q);
    if (!out) {
      const u = this.units.get(q);
      if (u) out = syntacticCallees(this.program, u.module, unitFacts(u.def!), u.def!.params.map((p) => p.name), u.className);
      else {
        const m = this.program.modules.get(this.unitModule(q));
        out = m ? syntacticCallees(this.program, m, collectUnitFacts(m.body), [], undefined) : [];
      }
      out = out.filter((c) => this.units.has(c) && c !== q);
      this.calleeMemo.set(q, out);
    }
    return out;
  }

  /** Position of each unit in a callees-first order; the worklist always takes the lowest. */
  private order = new Map<string, number>();
  private heap: number[] = [];
  private byIndex: string[] = [];

  private enqueue(q: string): void {
    if (this.queued.has(q)) return;
    this.queued.add(q);
    let i = this.order.get(q);
    if (i === undefined) {
      i = this.order.size + this.byIndex.length;
      this.order.set(q, i);
    }
    this.byIndex[i] = q;
    const h = this.heap;
    h.push(i);
    let c = h.length - 1;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (h[p]! <= h[c]!) break;
      [h[p], h[c]] = [h[c]!, h[p]!];
      c = p;
    }
  }

  private popNext(): string {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < h.length && h[l]! < h[m]!) m = l;
        if (r < h.length && h[r]! < h[m]!) m = r;
        if (m === p) break;
        [h[p], h[m]] = [h[m]!, h[p]!];
        p = m;
      }
    }
    const q = this.byIndex[top]!;
    this.queued.delete(q);
    return q;
  }

  private moduleUnit(m: ModuleIR): FunctionUnit {
    let env = this.moduleEnvs.get(m.name);
    if (!env) {
      env = new Map();
      this.moduleEnvs.set(m.name, env);
    }
    return { qname: `${m.name}.<module>`, module: m, moduleEnv: env };
  }

  /**
   * Nested functions and lambdas are analysed at each call (their closure is the caller's
   * environment); within one analysis of a function, a call with the same closure that reads the
   * same closure values (by identity: values are never mutated) and no global written since gives
   * the same summary, flows and side effects, so it is answered from here. Not for module bodies:
   * their environment is the module's, written as they run.
   */
  private nestedMemo: Map<FunctionDef, NestedAnalysis[]> | undefined;
  private globalWrites = 0;

  /** The unit's summary; undefined when demand mode set the analysis back (see `activate`). */
  private analyzeUnit(unit: FunctionUnit): FunctionSummary | undefined {
    this.nestedMemo = unit.def ? new Map() : undefined;
    const analyzer = new Analyzer(this, unit);
    let summary: FunctionSummary;
    this.current = unit.qname;
    this.analysisCount++;
    try {
      summary = analyzer.run();
    } catch (e) {
      if (e instanceof SetBack) return undefined;
      if (!(e instanceof BudgetExceeded) && !(e instanceof RangeError)) throw e;
      this.diagnostics.push({ level: 'warning', code: 'budget-exceeded', file: unit.module.file, line: unit.def?.span.startLine, message: `analysis of ${unit.qname} stopped: ${e.message}` });
      summary = emptySummary();
    }
    if (unit.def) this.summaries.set(unit.qname, summary);
    this.flowsByUnit.set(unit.qname, analyzer.flows);
    return summary;
  }

  private collectUnits(m: ModuleIR): void {
    const visitClass = (stmts: Stmt[], classQname: string): void => {
      for (const s of stmts) {
        if (s.k === 'funcdef') {
          const qname = `${classQname}.${s.fn.name}`;
          this.units.set(qname, {
            qname,
            def: s.fn,
            module: m,
            className: classQname,
            isStatic: s.fn.decorators.some((d) => d.k === 'name' && d.id === 'staticmethod'),
            route: this.routeOf(s.fn, m),
          });
        } else if (s.k === 'classdef') visitClass(s.cls.body, `${classQname}.${s.cls.name}`);
      }
    };
    const visit = (stmts: Stmt[]): void => {
      for (const s of stmts) {
        if (s.k === 'funcdef') {
          const qname = `${m.name}.${s.fn.name}`;
          this.units.set(qname, { qname, def: s.fn, module: m, route: this.routeOf(s.fn, m) });
        } else if (s.k === 'classdef') visitClass(s.cls.body, `${m.name}.${s.cls.name}`);
        // The blocks under which Program binds module-level names (analysis/program.ts buildScope).
        else if (s.k === 'if') {
          visit(s.body);
          visit(s.orelse);
        } else if (s.k === 'try') {
          visit(s.body);
          for (const h of s.handlers) visit(h.body);
          visit(s.orelse);
          visit(s.finalbody);
        } else if (s.k === 'with') visit(s.body);
      }
    };
    visit(m.body);
  }

  /** A function is a request handler when a decorator like `@app.route(...)` / `@router.get(...)` marks it. */
  private routeOf(fn: FunctionDef, m: ModuleIR): RouteModel | undefined {
    for (const d of fn.decorators) {
      const target: Expr = d.k === 'call' ? d.fn : d;
      if (target.k !== 'attr') continue;
      for (const r of this.models.routes) {
        if (!r.decorators.includes(target.name)) continue;
        // Exclude decorators of known non-web modules (functools.lru_cache.get...).
        const q = this.program.resolveExprName(m, target);
        if (q && /^(functools|contextlib|pytest|unittest|click|typer)\./.test(q)) continue;
        return r;
      }
    }
    return undefined;
  }

  // ---------------------------------------------------------------- summaries

  summaryFor(qname: string, caller: string): FunctionSummary {
    let set = this.callers.get(qname);
    if (!set) {
      set = new Set();
      this.callers.set(qname, set);
    }
    set.add(caller);
    if (this.firstPass) {
      // What a root's body calls must be ready for its second pass; other bodies' second passes
      // only add flows outside the roots, which demand mode does not report.
      if (this.firstPassOfRoot) this.activate(qname);
      return emptySummary();
    }
    this.activate(qname);
    return this.summaries.get(qname) ?? emptySummary();
  }

  analyzeNested(ref: FunctionRef, module: ModuleIR, parent: FunctionUnit, depth: number): FunctionSummary {
    const closure = ref.closure ?? parent.closure;
    const memo = this.nestedMemo;
    const entries = memo?.get(ref.def);
    if (entries) {
      for (const e of entries) {
        if (e.closure === closure && e.depth === depth && e.qname === ref.qname && e.className === ref.className && e.globalWrites === this.globalWrites && e.reads.every(([n, v]) => closure?.get(n) === v)) return e.summary;
      }
    }
    const unit: FunctionUnit = { qname: ref.qname, def: ref.def, module, className: ref.className, closure };
    const analyzer = new Analyzer(this, unit, depth);
    this.nestedCount++;
    if (memo) analyzer.closureReads = [];
    const summary = analyzer.run();
    if (memo) {
      const entry = { closure, depth, qname: ref.qname, className: ref.className, globalWrites: this.globalWrites, reads: analyzer.closureReads!, summary };
      if (entries) entries.push(entry);
      else memo.set(ref.def, [entry]);
    }
    // Flows found inside nested functions belong to the enclosing unit's analysis.
    const list = this.flowsByUnit.get(unit.qname) ?? [];
    for (const f of analyzer.flows) if (!list.some((x) => x.site.loc.line === f.site.loc.line && x.label.origin === f.label.origin)) list.push(f);
    this.flowsByUnit.set(unit.qname, list);
    return summary;
  }

  // ---------------------------------------------------------------- globals and sources

  globalValue(m: ModuleIR, name: string): AbsValue | undefined {
    return this.moduleEnvs.get(m.name)?.get(name);
  }

  noteGlobalWrite(m: ModuleIR, name: string, v: AbsValue): void {
    const env = this.moduleEnvs.get(m.name);
    if (!env) return;
    this.globalWrites++;
    env.set(name, env.has(name) ? join(env.get(name), v) : v);
  }

  /** The value a qualified name denotes: a source, a program entity, a module global, or an external entity. */
  valueOfQname(q: string, from: ModuleIR, text: string, span: Span): AbsValue {
    const info = this.qnameInfo(q);
    if (info.source) return sourceValueOf(info.source, info.canonical, text, locOf(from, span));
    if (info.variable) {
      if (!this.needBody(info.variable.module) && this.current !== undefined) {
        let readers = this.earlyReaders.get(info.variable.module);
        if (!readers) this.earlyReaders.set(info.variable.module, (readers = new Set()));
        readers.add(this.current);
      }
      const v = this.moduleEnvs.get(info.variable.module)?.get(info.variable.name);
      if (v) return v;
    }
    return { labels: [], qname: info.canonical };
  }

  private readonly qnameInfos = new Map<string, QnameInfo>();

  /** What valueOfQname needs to know about a qualified name; depends on the program and models only. */
  private qnameInfo(q: string): QnameInfo {
    let info = this.qnameInfos.get(q);
    if (!info) {
      const canonical = this.program.canonical(q);
      const source = this.sourceModelFor(canonical);
      const sym = source ? undefined : this.program.resolveSymbol(q);
      info = { canonical, source, variable: sym?.kind === 'variable' ? { module: sym.module.name, name: sym.name } : undefined };
      this.qnameInfos.set(q, info);
    }
    return info;
  }

  private readonly sourceByQname = new Map<string, SourceModel | null>();

  private sourceModelFor(q: string): SourceModel | undefined {
    const hit = this.sourceByQname.get(q);
    if (hit !== undefined) return hit ?? undefined;
    let found: SourceModel | null = null;
    outer: for (const s of this.models.sources) {
      for (const p of s.patterns) {
        if (q === p || q.startsWith(`${p}.`) || (p.endsWith('.*') && matchesPattern(p, q, undefined))) {
          found = s;
          break outer;
        }
      }
    }
    this.sourceByQname.set(q, found);
    return found ?? undefined;
  }

  private sourceValue(q: string, text: string, loc: Loc): AbsValue | undefined {
    const s = this.sourceModelFor(q);
    return s ? sourceValueOf(s, q, text, loc) : undefined;
  }

  /** `self.path` in a subclass of a modelled handler base class. */
  selfSource(classQname: string, attr: string, loc: Loc, text: string): AbsValue | undefined {
    const s = this.selfSourceModel(classQname, attr);
    if (!s) return undefined;
    const label: Label = {
      origin: { kind: 'source', sourceKind: s.kind, description: text, loc },
      cleared: 0,
      flags: 0,
      steps: [{ kind: 'source', loc, message: `\`${text}\` is ${s.description}` }],
    };
    return { labels: [label] };
  }

  /** Class qname -> attribute -> the self-source model it matches (null: none). */
  private readonly selfSourceModels = new Map<string, Map<string, SelfSourceModel | null>>();

  private selfSourceModel(classQname: string, attr: string): SelfSourceModel | undefined {
    let byAttr = this.selfSourceModels.get(classQname);
    if (!byAttr) {
      byAttr = new Map();
      this.selfSourceModels.set(classQname, byAttr);
    }
    let found = byAttr.get(attr);
    if (found === undefined) {
      found = null;
      const bases = this.program.classes.has(classQname) ? this.program.ancestors(classQname) : [];
      for (const s of this.models.selfSources) {
        if (!s.attrs.includes(attr)) continue;
        if (bases.some((b) => s.bases.includes(this.program.canonical(b)))) {
          found = s;
          break;
        }
      }
      byAttr.set(attr, found);
    }
    return found ?? undefined;
  }

  /** Attribute of a typed parameter, e.g. `request.GET` on a Django HttpRequest. */
  typedAttrSource(type: string, attr: string, loc: Loc, text: string): AbsValue | undefined {
    if (this.program.classes.has(type)) return undefined;
    return this.sourceValue(`${type}.${attr}`, text, loc);
  }

  typedParamType(name: string, annotation: string | undefined): string | undefined {
    for (const t of this.models.typedParams) {
      if (t.annotation && annotation && t.annotation.some((a) => a === annotation || annotation.endsWith(`.${a}`))) return t.type;
      if (t.name && !t.annotation && t.name === name) return t.type;
    }
    return undefined;
  }

  /** Name -> sensitive source kind ('' when the name says nothing). */
  private readonly sensitiveCache = new Map<string, string>();
  private tracksSensitive = false;
  /** Source kinds that may reach each call argument expression (for pattern rules' `taintKindsAt`). */
  readonly exprKinds = new WeakMap<object, Set<string>>();

  /**
   * Reading a variable, attribute or key whose name says it holds a secret (`password`,
   * `api_key`, `session_token`) yields sensitive data: `sensitive-password`, `sensitive-secret`
   * (keys, credentials) or `sensitive-token` (tokens, session ids).
   */
  withSensitiveLabel(v: AbsValue, name: string, module: ModuleIR, span: Span): AbsValue {
    if (!this.tracksSensitive) return v;
    if (v.hasConst || v.qname || v.fns || v.shape === 'number' || v.shape === 'bool') return v;
    let kind = this.sensitiveCache.get(name);
    if (kind === undefined) {
      const c = classifySensitiveName(name);
      // Session identifiers are bearer tokens: sensitive in logs, but what cookies are for.
      const isToken = c === 'token' || /session_?id$/i.test(name);
      // A bare `token` is as often a lexer token as a credential: only qualified tokens count.
      const credentialToken = !isToken || /session_?id$/i.test(name) || /(auth|access|api|bearer|session|refresh|jwt|oauth|secret|reset|csrf|xsrf|login|id_token|sso|private)/i.test(name);
      kind = c === undefined || !credentialToken ? '' : isToken ? 'sensitive-token' : c === 'password' ? 'sensitive-password' : 'sensitive-secret';
      this.sensitiveCache.set(name, kind);
    }
    if (!kind) return v;
    const loc = locOf(module, span);
    const label: Label = { origin: { kind: 'source', sourceKind: kind, description: name, loc }, cleared: 0, flags: 0, steps: [{ kind: 'source', loc, message: `\`${name}\` holds a secret (by its name)` }] };
    return { ...v, labels: mergeLabels(v.labels, [label]) };
  }

  noteArgKinds(expr: object, labels: readonly Label[]): void {
    let set: Set<string> | undefined;
    for (const l of labels) {
      if (l.origin.kind !== 'source') continue;
      set ??= this.exprKinds.get(expr) ?? new Set();
      set.add(l.origin.sourceKind);
    }
    if (set) this.exprKinds.set(expr, set);
  }

  isCleanCall(canonical: string, chain: string | undefined): boolean {
    return this.models.cleanCalls.some((p) => matchesPattern(p, canonical, chain));
  }

  findSinks(canonical: string | undefined, chain: string | undefined) {
    return findMatching(this.models.sinks, canonical, chain);
  }

  /** Every model that applies to a call, looked up once per (canonical callee, chain as written). */
  private readonly callModelMemo = new PairMemo<CallModels>(100_000);

  callModels(canonical: string | undefined, chain: string | undefined): CallModels {
    return this.callModelMemo.get(canonical, chain, (): CallModels => ({
      sinks: findMatching(this.models.sinks, canonical, chain),
      isConfigMethod: findMatching(this.models.configMethods, canonical, chain).length > 0,
      sanitizers: findMatching(this.models.sanitizers, canonical, chain),
      noReturn: findMatching(this.models.noReturn, canonical, chain).length > 0,
      clean: !!canonical && this.isCleanCall(canonical, chain),
      factory: canonical ? findMatching(this.models.factories, canonical, undefined)[0] : undefined,
    }));
  }
}

/** Demand mode: the running analysis reached a unit that must be analysed before it (see `activate`). */
class SetBack extends Error {}

export interface CallModels {
  sinks: SinkModel[];
  isConfigMethod: boolean;
  sanitizers: SanitizerModel[];
  noReturn: boolean;
  /** A clean call (its result carries no taint); only for known callees. */
  clean: boolean;
  factory: FactoryModel | undefined;
}

/** Where an expression is, for evidence (the interpreter's Analyzer.loc). */
export function locOf(module: ModuleIR, span: Span): Loc {
  return { file: module.file, line: span.startLine, column: span.startColumn, endLine: span.endLine, endColumn: span.endColumn };
}

interface QnameInfo {
  canonical: string;
  source: SourceModel | undefined;
  /** A module-level variable of the program: its value is in the module environment. */
  variable: { module: string; name: string } | undefined;
}

function sourceValueOf(s: SourceModel, q: string, text: string, loc: Loc): AbsValue {
  const label: Label = {
    origin: { kind: 'source', sourceKind: s.kind, description: text, loc },
    cleared: 0,
    flags: 0,
    steps: [{ kind: 'source', loc, message: `\`${text}\` is ${s.description || 'untrusted input'}` }],
  };
  return { labels: [label], qname: q, shape: s.values === 'str' ? 'strmap' : undefined };
}

/**
 * Program functions a body calls, by the syntactic call graph: names and attribute chains that
 * resolve to a program function or class (its `__init__`), `self.m()` in a method, methods called
 * on a local only ever bound to an instance of one program class (`ctx = _Context(...)`: the
 * analysis resolves them the same way, so the order puts those methods first), and methods called
 * by name on an unknown receiver when few methods have that name. Read from the body's facts
 * (ir/facts.ts), so the body itself stays unread.
 */
function syntacticCallees(program: Program, module: ModuleIR, facts: UnitFacts, params: readonly string[], className: string | undefined): string[] {
  const out = new Set<string>();
  const instanceOf = localInstances(program, module, facts, params);
  for (const [chain, method, receiver] of facts.calls) {
    const name = chain ? program.resolveDotted(module, chain) : undefined;
    const sym = name ? program.resolveSymbol(name) : undefined;
    if (sym?.kind === 'function') out.add(sym.qname);
    else if (sym?.kind === 'class') {
      const init = program.findMethod(sym.qname, '__init__');
      if (init) out.add(init);
    } else if (sym?.kind === 'variable') {
      for (const t of aliasTargets(program, sym)) out.add(t);
    } else if (method) {
      const receiverClass = receiver ? (receiver === 'self' ? className : instanceOf.get(receiver)) : undefined;
      if (receiverClass) {
        const m = program.findMethod(receiverClass, method);
        if (m) out.add(m);
      } else {
        const cands = program.methodsByName.get(method);
        if (cands && cands.length <= 4) for (const c of cands) out.add(c);
      }
    }
  }
  return [...out];
}

/** Local names whose every binding in the body (nested scopes aside) is an instance of the same program class. */
function localInstances(program: Program, module: ModuleIR, facts: UnitFacts, params: readonly string[]): Map<string, string> {
  // null: bound to something else too (a parameter, another class, an import...).
  const found = new Map<string, string | null>(params.map((p) => [p, null]));
  for (const [local, callee] of facts.bindings) {
    const q = callee ? program.resolveDotted(module, callee) : undefined;
    const sym = q ? program.resolveSymbol(q) : undefined;
    const c = sym?.kind === 'class' ? sym.qname : undefined;
    const prev = found.get(local);
    found.set(local, c && (prev === undefined || prev === c) ? c : null);
  }
  const out = new Map<string, string>();
  for (const [k, v] of found) if (v) out.set(k, v);
  return out;
}

const aliasMemo = new WeakMap<Program, Map<string, readonly string[]>>();

/**
 * Program functions a module-level variable is bound to by plain assignments such as
 * `fspath = _fspath` (also under `if`/`try`), a class standing for its `__init__`.
 */
function aliasTargets(program: Program, v: { qname: string; module: ModuleIR; name: string }): readonly string[] {
  let memo = aliasMemo.get(program);
  if (!memo) aliasMemo.set(program, (memo = new Map()));
  let out = memo.get(v.qname);
  if (out) return out;
  const found = new Set<string>();
  const visit = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      if (s.k === 'assign' && !s.op && (s.value.k === 'name' || s.value.k === 'attr') && s.targets.some((t) => t.k === 'name' && t.id === v.name)) {
        const name = program.resolveExprName(v.module, s.value);
        const sym = name ? program.resolveSymbol(name) : undefined;
        if (sym?.kind === 'function') found.add(sym.qname);
        else if (sym?.kind === 'class') {
          const init = program.findMethod(sym.qname, '__init__');
          if (init) found.add(init);
        }
      } else if (s.k === 'if') {
        visit(s.body);
        visit(s.orelse);
      } else if (s.k === 'try') {
        visit(s.body);
        for (const h of s.handlers) visit(h.body);
        visit(s.orelse);
        visit(s.finalbody);
      } else if (s.k === 'with') visit(s.body);
    }
  };
  visit(v.module.body);
  out = [...found];
  memo.set(v.qname, out);
  return out;
}

/**
 * A callees-first (reverse topological, cycles broken arbitrarily) order of units from a syntactic
 * call graph, so most summaries are final before their callers are analysed.
 */
function calleesFirstOrder(units: readonly string[], callees: (q: string) => readonly string[]): Map<string, number> {
  const order = new Map<string, number>();
  const member = new Set(units);
  const state = new Set<string>();
  for (const root of units) {
    if (state.has(root)) continue;
    // Iterative DFS: post-order numbering puts callees before callers.
    const stack: Array<{ q: string; i: number; out: readonly string[] }> = [{ q: root, i: 0, out: callees(root) }];
    state.add(root);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = top.out[top.i++];
      if (next !== undefined) {
        if (member.has(next) && !state.has(next)) {
          state.add(next);
          stack.push({ q: next, i: 0, out: callees(next) });
        }
        continue;
      }
      stack.pop();
      order.set(top.q, order.size);
    }
  }
  return order;
}

function summariesEqual(a: FunctionSummary, b: FunctionSummary): boolean {
  if (a.sinks.length !== b.sinks.length || a.noReturn !== b.noReturn || a.predicates.length !== b.predicates.length) return false;
  if (!valuesEqual(a.ret, b.ret)) return false;
  if (a.selfWrites.size !== b.selfWrites.size) return false;
  for (const [k, v] of a.selfWrites) if (!valuesEqual(v, b.selfWrites.get(k))) return false;
  return true;
}
