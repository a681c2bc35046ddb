/**
 * The taint interpreter: abstract interpretation of one function (or module body) over redline's IR.
 * Flow-sensitive over local variables, field- and key-sensitive for constant keys, with constant
 * folding to prune dead branches and guards that clean values on the branch they protect.
 * Calls into the program use callee summaries (engine.ts computes them to a fixpoint).
 */
import type { Arg, Expr, FunctionDef, ModuleIR, Span, Stmt } from '../../ir/types.js';
import { locOf, type Engine, type FunctionUnit } from './engine.js';
import { foldBinop, foldCompare, foldIndex, foldPercentTuple, foldSlice, foldStrMethod, foldUnop, truthy, UNKNOWN } from './consts.js';
import { findMatching, type ArgRef, type SinkModel } from './models.js';
import { loopCarriedNames, stableLoopsApply } from './loop-reads.js';
import { resolvableByName } from './method-names.js';
import { emptySummary, type FunctionSummary, type RawFlow, type SinkSite, type SummarySink } from './summary.js';
import {
  addStep, constant, deepLabels, EMPTY, flatten, getField, indistinguishable, isShareable, isTainted, join, LabelFlag, mapLabels, MAX_STEPS, mergeLabels, setField,
  valueWithStep, withLabels, type AbsValue, type FunctionRef, type Label, type Loc, type Step,
} from './values.js';

type Env = Map<string, AbsValue>;
type Refinement = { name: string; apply: (v: AbsValue) => AbsValue; clears: number | 'all'; flags: number };

interface EvaluatedArg {
  arg: Arg;
  value: AbsValue;
}

const PREDICATE_METHODS = new Set(['isdigit', 'isalnum', 'isalpha', 'isnumeric', 'isdecimal', 'isidentifier', 'isspace', 'islower', 'isupper']);
const ITER_ONLY_BUILTINS = new Set(['builtins.list', 'builtins.tuple', 'builtins.set', 'builtins.sorted', 'builtins.reversed', 'builtins.iter', 'builtins.frozenset']);
const MAX_EVAL_STEPS = 60_000;
const OPERATOR_METHODS: Record<string, string> = { '%': '__mod__', '+': '__add__' };
/** A constant URL start that pins the host ("https://api.example.com/") or keeps the URL on this site ("/users/"). */
const FIXED_URL_PREFIX = /^(\/(?![\/\\])|https?:\/\/[^/?#]+[/?#])/;
const MAX_INLINE_DEPTH = 3;

export class BudgetExceeded extends Error {}

export class Analyzer {
  private env: Env = new Map();
  private ret: AbsValue = EMPTY;
  private returned = false;
  private readonly sinks: SummarySink[] = [];
  private readonly sinkKeys = new Set<string>();
  readonly flows: RawFlow[] = [];
  /** When set, every read of the closure is logged here (the engine's nested-analysis memo validates with it). */
  closureReads: Array<[string, AbsValue | undefined]> | undefined;
  private readonly flowKeys = new Set<string>();
  private steps = 0;
  private readonly module: ModuleIR;
  private readonly localNames: ReadonlySet<string>;
  private readonly globalNames = new Set<string>();
  readonly callees = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly unit: FunctionUnit,
    private readonly inlineDepth = 0,
  ) {
    this.module = unit.module;
    this.localNames = unit.def ? localNamesOf(unit.def) : new Set();
    this.stableLoops = !!unit.def && stableLoopsApply(unit.def);
  }

  /** Loops may skip their second pass (see loop-reads.ts). */
  private readonly stableLoops: boolean;

  /** Analyses the unit; returns its summary. Flows found are in `this.flows`. */
  run(): FunctionSummary {
    const def = this.unit.def;
    if (def) this.bindParams(def);
    else if (this.unit.moduleEnv) this.env = this.unit.moduleEnv;
    const body = def ? def.body : this.module.body;
    const terminated = this.execBlock(body);
    const summary = emptySummary();
    summary.ret = this.ret;
    summary.sinks = this.sinks;
    summary.noReturn = terminated && !this.returned && !!def;
    for (const [index, p] of this.predicateParams ?? []) summary.predicates.push({ index, clears: p.clears, flags: p.flags });
    if (def && def.params.length > 0 && this.unit.className) {
      const self = this.env.get(def.params[0]!.name);
      for (const [k, v] of self?.fields ?? []) {
        if (k.startsWith('a:')) summary.selfWrites.set(k, v);
      }
    }
    return summary;
  }

  // ---------------------------------------------------------------- parameters

  private bindParams(def: FunctionDef): void {
    const routeKind = this.unit.route;
    const typedByRoute = routeKind ? this.routeConverterParams(def) : new Set<string>();
    def.params.forEach((p, i) => {
      let v: AbsValue = { labels: [{ origin: { kind: 'param', index: i }, cleared: 0, flags: 0, steps: [] }] };
      if (i === 0 && this.unit.className && !this.unit.isStatic) {
        v = { ...v, type: this.unit.className };
      }
      const typed = this.engine.typedParamType(p.name, p.annotation ? this.exprChain(p.annotation) : undefined);
      if (typed) v = { ...v, type: typed };
      if (routeKind && !(i === 0 && this.unit.className) && !typed && !typedByRoute.has(p.name) && !this.isCleanAnnotation(p.annotation)) {
        const loc = this.loc(p.span);
        const label: Label = {
          origin: { kind: 'source', sourceKind: routeKind.kind, description: p.name, loc },
          cleared: 0,
          flags: 0,
          steps: [{ kind: 'source', loc, message: `\`${p.name}\` is a parameter of request handler \`${def.name}\`, filled from the request` }],
        };
        v = { ...v, labels: mergeLabels(v.labels, [label]) };
      }
      if (p.kind === 'vararg') v = { labels: [], elems: v, shape: 'tuple' };
      if (p.kind === 'kwarg') v = { labels: [], elems: v, shape: 'dict' };
      this.env.set(p.name, v);
    });
  }

  /** Parameters whose route converter only admits numbers or UUIDs (`/<int:uid>`). */
  private routeConverterParams(def: FunctionDef): Set<string> {
    const out = new Set<string>();
    for (const d of def.decorators) {
      if (d.k !== 'call') continue;
      for (const a of d.args) {
        if (a.value.k !== 'const' || typeof a.value.value !== 'string') continue;
        for (const m of a.value.value.matchAll(/<(int|float|uuid)(?:\([^)]*\))?:(\w+)>/g)) out.add(m[2]!);
      }
    }
    return out;
  }

  private isCleanAnnotation(a: Expr | undefined): boolean {
    if (!a) return false;
    const chain = this.exprChain(a.k === 'index' ? a.obj : a);
    if (!chain) return false;
    const clean = this.unit.route?.cleanAnnotations ?? [];
    const q = this.resolveChain(a.k === 'index' ? a.obj : a) ?? chain;
    return clean.some((c) => c === chain || c === q || q.endsWith(`.${c}`));
  }

  // ---------------------------------------------------------------- statements

  /** Executes statements; returns true when the block never completes normally. */
  private execBlock(stmts: Stmt[]): boolean {
    for (const s of stmts) {
      if (this.execStmt(s)) return true;
    }
    return false;
  }

  private execStmt(s: Stmt): boolean {
    this.tick();
    switch (s.k) {
      case 'expr': {
        const v = this.eval(s.value);
        if (s.value.k === 'call' && this.isNoReturnCall(s.value)) return true;
        void v;
        return false;
      }
      case 'assign': {
        let value: AbsValue;
        if (s.op) {
          const cur = s.targets[0] ? this.eval(s.targets[0]) : EMPTY;
          const rhs = this.eval(s.value);
          value = this.binop(s.op, cur, rhs);
          if (s.targets[0]?.k === 'name' && this.env.get(s.targets[0].id)?.shape === 'list') value = { ...this.env.get(s.targets[0].id)!, elems: join(this.env.get(s.targets[0].id)!.elems, rhs.elems ?? flatten(rhs)) };
        } else value = this.eval(s.value);
        for (const t of s.targets) this.assign(t, value, s.span);
        return false;
      }
      case 'return': {
        this.notePredicateReturn(s.value);
        if (s.value) {
          let v = this.eval(s.value);
          if (this.unit.route?.returnIsHtml) this.checkHtmlReturn(s.value, v);
          v = valueWithStep(v, { kind: 'return', loc: this.loc(s.span), message: `returned from \`${this.unit.def?.name ?? '<module>'}\`` });
          this.ret = join(this.ret, v);
        }
        this.returned = true;
        return true;
      }
      case 'if':
        return this.execIf(s.test, s.body, s.orelse);
      case 'while': {
        const t = this.eval(s.test);
        if (t.hasConst && !truthy(t.value!)) return this.execBlock(s.orelse);
        this.loop(s, () => {
          const ref = this.refinements(s.test);
          for (const r of ref.whenTrue) this.refine(r);
          this.execBlock(s.body);
        });
        this.execBlock(s.orelse);
        return false;
      }
      case 'for': {
        const iter = this.eval(s.iter);
        const item = this.iterationValue(iter, s.iter);
        this.loop(s, () => {
          this.assign(s.target, item, s.span);
          this.execBlock(s.body);
        });
        this.execBlock(s.orelse);
        return false;
      }
      case 'with': {
        for (const item of s.items) {
          const v = this.eval(item.ctx);
          if (item.target) this.assign(item.target, v, s.span);
        }
        return this.execBlock(s.body);
      }
      case 'try': {
        const before = new Map(this.env);
        const bodyTerminated = this.execBlock(s.body);
        let out: Env | undefined = bodyTerminated ? undefined : new Map(this.env);
        if (!bodyTerminated && this.execBlock(s.orelse)) out = undefined;
        else if (!bodyTerminated) out = new Map(this.env);
        const handlerStart = joinEnvs(before, this.env);
        let allTerminate = bodyTerminated;
        for (const h of s.handlers) {
          this.env = new Map(handlerStart);
          if (h.name) this.env.set(h.name, { labels: [], type: h.type ? this.resolveChain(h.type) : undefined });
          const t = this.execBlock(h.body);
          if (!t) {
            out = out ? joinEnvs(out, this.env) : new Map(this.env);
            allTerminate = false;
          }
        }
        if (s.handlers.length === 0) allTerminate = bodyTerminated;
        this.env = out ?? handlerStart;
        const finTerminated = this.execBlock(s.finalbody);
        return finTerminated || (allTerminate && out === undefined);
      }
      case 'raise':
        if (s.exc) this.eval(s.exc);
        return true;
      case 'assert': {
        this.eval(s.test);
        const ref = this.refinements(s.test);
        for (const r of ref.whenTrue) this.refine(r);
        return false;
      }
      case 'funcdef': {
        const ref: FunctionRef = { qname: `${this.unit.qname}.<locals>.${s.fn.name}`, def: s.fn, closure: this.env };
        let v: AbsValue = { labels: [], fns: [ref] };
        // Decorators that wrap the function keep it callable with the same data flow.
        for (const d of s.fn.decorators) this.eval(d);
        if (!this.unit.def) {
          const q = `${this.module.name}.${s.fn.name}`;
          v = { labels: [], qname: q };
        }
        this.env.set(s.fn.name, v);
        return false;
      }
      case 'classdef': {
        if (!this.unit.def) this.env.set(s.cls.name, { labels: [], qname: `${this.module.name}.${s.cls.name}` });
        return false;
      }
      case 'import': {
        if (this.unit.def) {
          for (const b of s.bindings) {
            if (b.local === '*') continue;
            const q = b.member === undefined ? (b.aliased ? b.module : b.local) : b.module ? `${b.module}.${b.member}` : b.member;
            if (b.member === undefined) this.env.set(b.local, { labels: [], qname: q, shape: 'module' });
            else this.env.set(b.local, this.engine.valueOfQname(q, this.module, b.local, s.span));
          }
        }
        return false;
      }
      case 'match':
        return this.execMatch(s);
      case 'delete':
        for (const t of s.targets) if (t.k === 'name') this.env.delete(t.id);
        return false;
      case 'global':
        for (const n of s.names) this.globalNames.add(n);
        return false;
      case 'break':
      case 'continue':
      case 'pass':
        return false;
    }
  }

  /** Which parameters every true-returning path has validated (for validator functions). */
  private predicateParams: Map<number, { clears: number | 'all'; flags: number }> | null | undefined;

  private notePredicateReturn(value: Expr | undefined): void {
    const def = this.unit.def;
    if (!def || this.predicateParams === null) return;
    if (value) {
      const v = this.eval(value);
      if (v.hasConst && !truthy(v.value!)) return; // `return False` says nothing about the true case
    }
    const found = new Map<number, { clears: number | 'all'; flags: number }>();
    if (value) {
      for (const r of this.refinements(value).whenTrue) {
        const idx = def.params.findIndex((p) => p.name === r.name);
        if (idx < 0) continue;
        const prev = found.get(idx);
        found.set(idx, {
          clears: prev?.clears === 'all' || r.clears === 'all' ? 'all' : (prev?.clears ?? 0) | r.clears,
          flags: (prev?.flags ?? 0) | r.flags,
        });
      }
    }
    if (found.size === 0) {
      this.predicateParams = null;
      return;
    }
    if (this.predicateParams === undefined) {
      this.predicateParams = found;
      return;
    }
    const merged = new Map<number, { clears: number | 'all'; flags: number }>();
    for (const [i, a] of this.predicateParams) {
      const b = found.get(i);
      if (!b) continue;
      const clears = a.clears === 'all' ? b.clears : b.clears === 'all' ? a.clears : a.clears & b.clears;
      merged.set(i, { clears, flags: a.flags & b.flags });
    }
    this.predicateParams = merged.size ? merged : null;
  }

  private execIf(test: Expr, body: Stmt[], orelse: Stmt[]): boolean {
    const t = this.eval(test);
    if (t.hasConst) return truthy(t.value!) ? this.execBlock(body) : this.execBlock(orelse);
    const ref = this.refinements(test);
    const before = new Map(this.env);
    for (const r of ref.whenTrue) this.refine(r);
    const bodyTerm = this.execBlock(body);
    const afterBody = this.env;
    this.env = before; // nothing else holds the snapshot
    for (const r of ref.whenFalse) this.refine(r);
    const elseTerm = this.execBlock(orelse);
    const afterElse = this.env;
    if (bodyTerm && elseTerm) {
      this.env = joinEnvs(afterBody, afterElse);
      return true;
    }
    this.env = bodyTerm ? afterElse : elseTerm ? afterBody : joinEnvs(afterBody, afterElse);
    return false;
  }

  private execMatch(s: Extract<Stmt, { k: 'match' }>): boolean {
    const subject = this.eval(s.subject);
    const before = new Map(this.env);
    let out: Env | undefined;
    let allTerm = true;
    for (const c of s.cases) {
      let pat: AbsValue | undefined;
      if (c.pattern.k === 'const' || c.pattern.k === 'attr') pat = this.eval(c.pattern);
      if (subject.hasConst && pat?.hasConst && pat.value !== subject.value) continue;
      this.env = new Map(before);
      for (const name of c.captures) this.env.set(name, subject);
      if (c.guard) this.eval(c.guard);
      const term = this.execBlock(c.body);
      if (!term) {
        out = out ? joinEnvs(out, this.env) : this.env;
        allTerm = false;
      }
      if (subject.hasConst && pat?.hasConst && pat.value === subject.value) break;
      if (subject.hasConst && c.captures.length > 0 && c.pattern.k !== 'const') break;
    }
    const hasWildcard = s.cases.some((c) => c.pattern.k === 'unknown' || (c.captures.length > 0 && c.pattern.k === 'name'));
    if (!hasWildcard) {
      out = out ? joinEnvs(out, before) : before;
      allTerm = false;
    }
    this.env = out ?? before;
    return allTerm;
  }

  /** Runs a loop body twice, joining with the state before, so values assigned late reach uses early. */
  /** Two passes over a loop body; the second only when a value the body carries over has changed. */
  private loop(stmt: Extract<Stmt, { k: 'for' | 'while' }>, body: () => void): void {
    this.loopDepth++;
    const before = new Map(this.env);
    body();
    this.env = joinEnvs(before, this.env);
    if (!this.stableLoops || carriedValueChanged(before, this.env, loopCarriedNames(stmt))) {
      const mid = new Map(this.env);
      body();
      this.env = joinEnvs(mid, this.env);
    }
    this.loopDepth--;
  }
  private loopDepth = 0;

  private refine(r: Refinement): void {
    const v = this.lookup(r.name);
    if (v) this.env.set(r.name, r.apply(v));
  }

  // ---------------------------------------------------------------- assignment

  private assign(target: Expr, value: AbsValue, span: Span): void {
    switch (target.k) {
      case 'name': {
        let v = value;
        if (isTainted(v)) v = valueWithStep(v, { kind: 'step', loc: this.loc(span), message: `assigned to \`${target.id}\`` });
        this.env.set(target.id, v);
        if (!this.unit.def || this.globalNames.has(target.id)) this.engine.noteGlobalWrite(this.module, target.id, v);
        return;
      }
      case 'tuple':
      case 'list': {
        const starIdx = target.elts.findIndex((e) => e.k === 'star');
        target.elts.forEach((e, i) => {
          if (e.k === 'star') {
            this.assign(e.value, { labels: [], elems: this.iterationValue(value), shape: 'list' }, span);
            return;
          }
          const idx = starIdx >= 0 && i > starIdx ? undefined : i;
          const part = idx !== undefined ? (getField(value, `k:${idx}`) ?? this.iterationValue(value)) : this.iterationValue(value);
          this.assign(e, part, span);
        });
        return;
      }
      case 'star':
        this.assign(target.value, value, span);
        return;
      case 'attr': {
        this.checkStoreSink(target, value, span);
        this.updatePath(target.obj, (obj) => setField(obj, `a:${target.name}`, value));
        return;
      }
      case 'index': {
        this.checkStoreSink(target, value, span);
        const key = this.eval(target.index);
        this.updatePath(target.obj, (obj) =>
          key.hasConst && key.value !== null ? setField(obj, `k:${String(key.value)}`, value) : { ...obj, elems: join(obj.elems, value) },
        );
        return;
      }
      case 'slice':
        this.updatePath(target.obj, (obj) => ({ ...obj, elems: join(obj.elems, this.iterationValue(value)) }));
        return;
      default:
        this.eval(target);
    }
  }

  /** Updates the value at a name/attribute/constant-subscript path in place (strong update). */
  private updatePath(e: Expr, fn: (v: AbsValue) => AbsValue): void {
    if (e.k === 'name') {
      const cur = this.lookup(e.id) ?? this.eval(e);
      const next = fn(cur);
      this.env.set(e.id, next);
      if (!this.unit.def) this.engine.noteGlobalWrite(this.module, e.id, next);
      else if (!this.localNames.has(e.id) && !this.env.has(e.id)) this.engine.noteGlobalWrite(this.module, e.id, next);
      return;
    }
    if (e.k === 'attr') {
      this.updatePath(e.obj, (obj) => setField(obj, `a:${e.name}`, fn(getField(obj, `a:${e.name}`) ?? this.readAttr(obj, e.name))));
      return;
    }
    if (e.k === 'index') {
      const key = this.eval(e.index);
      if (key.hasConst && key.value !== null) {
        const k = `k:${String(key.value)}`;
        this.updatePath(e.obj, (obj) => setField(obj, k, fn(getField(obj, k) ?? obj.elems ?? EMPTY)));
      } else {
        this.updatePath(e.obj, (obj) => ({ ...obj, elems: fn(obj.elems ?? EMPTY) }));
      }
    }
  }

  // ---------------------------------------------------------------- expressions

  private tick(): void {
    if (++this.steps > MAX_EVAL_STEPS) throw new BudgetExceeded(`analysis budget exceeded in ${this.unit.qname}`);
  }

  eval(e: Expr): AbsValue {
    this.tick();
    switch (e.k) {
      case 'const':
        return constant(e.value);
      case 'name':
        return this.evalName(e);
      case 'attr':
        return this.evalAttr(e);
      case 'index':
        return this.evalIndex(e);
      case 'slice': {
        const obj = this.eval(e.obj);
        const lo = e.lower ? this.eval(e.lower) : undefined;
        const hi = e.upper ? this.eval(e.upper) : undefined;
        if (e.step) this.eval(e.step);
        if (obj.hasConst && (!lo || lo.hasConst) && (!hi || hi.hasConst) && !e.step) {
          const f = foldSlice(obj.value!, lo?.value, hi?.value);
          if (f !== UNKNOWN) return constant(f);
        }
        if (obj.shape === 'list' || obj.shape === 'tuple') return { labels: obj.labels, elems: this.iterationValue(obj), shape: obj.shape };
        return flatten(obj);
      }
      case 'call':
        return this.evalCall(e);
      case 'binop':
        return this.binop(e.op, this.eval(e.left), this.eval(e.right), e);
      case 'unop': {
        const v = this.eval(e.operand);
        if (v.hasConst) {
          const f = foldUnop(e.op, v.value!);
          if (f !== UNKNOWN) return constant(f);
        }
        return e.op === 'not' ? EMPTY : flatten(v);
      }
      case 'boolop': {
        let out: AbsValue | undefined;
        for (const x of e.values) {
          const v = this.eval(x);
          if (v.hasConst && out === undefined) {
            const t = truthy(v.value!);
            if ((e.op === 'and' && !t) || (e.op === 'or' && t)) return v;
            continue;
          }
          out = join(out, v);
        }
        return out ?? EMPTY;
      }
      case 'compare': {
        const vals = e.operands.map((o) => this.eval(o));
        if (vals.every((v) => v.hasConst)) {
          let result = true;
          for (let i = 0; i < e.ops.length; i++) {
            const f = foldCompare(e.ops[i]!, vals[i]!.value!, vals[i + 1]!.value!);
            if (f === UNKNOWN) return EMPTY;
            if (!f) result = false;
          }
          return constant(result);
        }
        return { labels: [], shape: 'bool' };
      }
      case 'cond': {
        const t = this.eval(e.test);
        if (t.hasConst) return truthy(t.value!) ? this.eval(e.body) : this.eval(e.orelse);
        const ref = this.refinements(e.test);
        const before = new Map(this.env);
        for (const r of ref.whenTrue) this.refine(r);
        const a = this.eval(e.body);
        this.env = new Map(before);
        for (const r of ref.whenFalse) this.refine(r);
        const b = this.eval(e.orelse);
        this.env = before;
        return join(a, b);
      }
      case 'template': {
        let labels: readonly Label[] = [];
        let text: string | undefined = '';
        for (const p of e.parts) {
          const v = this.eval(p);
          let ls = deepLabels(v);
          if (ls.length && text !== undefined && FIXED_URL_PREFIX.test(text)) ls = ls.map((l) => ({ ...l, flags: l.flags | LabelFlag.fixedUrlPrefix }));
          labels = mergeLabels(labels, ls);
          if (text !== undefined && v.hasConst && v.value !== undefined) text += constToStr(v.value);
          else text = undefined;
        }
        if (labels.length === 0 && text !== undefined) return constant(text);
        return { labels, shape: 'str' };
      }
      case 'list':
      case 'tuple':
      case 'set': {
        const fields = new Map<string, AbsValue>();
        let elems: AbsValue | undefined;
        let labels: readonly Label[] = [];
        e.elts.forEach((x, i) => {
          if (x.k === 'star') {
            const v = this.eval(x.value);
            elems = join(elems, this.iterationValue(v));
            return;
          }
          const v = this.eval(x);
          if (e.k !== 'set' && !elems) fields.set(`k:${i}`, v);
          else elems = join(elems, v);
          if (e.k === 'set') labels = mergeLabels(labels, deepLabels(v));
        });
        return { labels: [], fields: fields.size ? fields : undefined, elems, shape: e.k };
      }
      case 'dict': {
        const fields = new Map<string, AbsValue>();
        let elems: AbsValue | undefined;
        e.keys.forEach((k, i) => {
          const v = this.eval(e.values[i]!);
          if (k === null) {
            for (const [fk, fv] of v.fields ?? []) fields.set(fk, fv);
            if (v.elems) elems = join(elems, v.elems);
            if (v.labels.length) elems = join(elems, withLabels(v.labels));
            return;
          }
          const kv = this.eval(k);
          if (kv.hasConst && kv.value !== null) fields.set(`k:${String(kv.value)}`, v);
          else {
            elems = join(elems, v);
            // Attacker-chosen keys are remembered apart: they matter to query documents ($where).
            if (isTainted(kv)) fields.set('meta:keys', join(fields.get('meta:keys'), flatten(kv)));
          }
        });
        return { labels: [], fields: fields.size ? fields : undefined, elems, shape: 'dict' };
      }
      case 'lambda':
        return { labels: [], fns: [{ qname: `${this.unit.qname}.<lambda>`, def: e.fn, closure: this.env }] };
      case 'comp':
        return this.evalComprehension(e);
      case 'await':
        return this.eval(e.value);
      case 'yield': {
        if (e.value) {
          const v = this.eval(e.value);
          this.ret = join(this.ret, e.from ? v : { labels: [], elems: v, shape: 'list' });
        }
        return EMPTY;
      }
      case 'star':
        return this.eval(e.value);
      case 'walrus': {
        const v = this.eval(e.value);
        this.env.set(e.target, v);
        return v;
      }
      case 'unknown': {
        let labels: readonly Label[] = [];
        for (const c of e.children) labels = mergeLabels(labels, deepLabels(this.eval(c)));
        return withLabels(labels);
      }
    }
  }

  private evalComprehension(e: Extract<Expr, { k: 'comp' }>): AbsValue {
    const saved = this.env;
    this.env = new Map(this.env);
    for (const g of e.generators) {
      const iter = this.eval(g.iter);
      this.assign(g.target, this.iterationValue(iter, g.iter), g.iter.span);
      for (const c of g.conds) {
        this.eval(c);
        for (const r of this.refinements(c).whenTrue) this.refine(r);
      }
    }
    const elt = this.eval(e.elt);
    let result: AbsValue;
    if (e.kind === 'dict') {
      const value = e.value ? this.eval(e.value) : EMPTY;
      result = { labels: [], elems: join(value, flatten(elt)), shape: 'dict' };
    } else {
      result = { labels: [], elems: elt, shape: e.kind === 'set' ? 'set' : 'list' };
    }
    this.env = saved;
    return result;
  }

  private binop(op: string, a: AbsValue, b: AbsValue, e?: Expr): AbsValue {
    if (a.hasConst && b.hasConst) {
      const f = foldBinop(op, a.value!, b.value!);
      if (f !== UNKNOWN) return constant(f);
    }
    if (op === '%' && a.hasConst && typeof a.value === 'string' && b.shape === 'tuple' && b.fields && !isTainted(b)) {
      const parts = [...b.fields.values()];
      if (parts.every((p) => p.hasConst)) {
        const f = foldPercentTuple(a.value, parts.map((p) => p.value!));
        if (f !== UNKNOWN) return constant(f);
      }
    }
    // `Markup("<b>%s</b>") % name` escapes its operand: operators of modelled types are method calls.
    if (a.type && OPERATOR_METHODS[op]) {
      const sanitizers = findMatching(this.engine.models.sanitizers, `${a.type}.${OPERATOR_METHODS[op]}`, undefined);
      if (sanitizers.length) {
        const fake: EvaluatedArg[] = [{ arg: { value: { k: 'const', value: null, span: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 } } }, value: b }];
        return { ...this.applySanitizers(sanitizers, fake, a, undefined), type: a.type };
      }
    }
    if ((op === '+' || op === '*') && (a.shape === 'list' || a.shape === 'tuple')) {
      return { labels: [], elems: join(this.iterationValue(a), op === '+' ? this.iterationValue(b) : undefined), shape: a.shape };
    }
    void e;
    let labels = mergeLabels(deepLabels(a), deepLabels(b));
    if (op === '+' && a.hasConst && typeof a.value === 'string' && FIXED_URL_PREFIX.test(a.value)) {
      labels = labels.map((l) => ({ ...l, flags: l.flags | LabelFlag.fixedUrlPrefix }));
    }
    const numeric = ['-', '/', '//', '**', '&', '|', '^', '<<', '>>'].includes(op) || (a.shape === 'number' && b.shape === 'number');
    if (numeric) return { labels: [], shape: 'number' };
    return { labels, shape: a.shape === 'str' || b.shape === 'str' ? 'str' : undefined };
  }

  /** What one iteration over a value yields. */
  private iterationValue(v: AbsValue, _e?: Expr): AbsValue {
    let out: AbsValue | undefined = v.elems;
    if (v.shape !== 'dict') for (const [k, f] of v.fields ?? []) if (k.startsWith('k:')) out = join(out, f);
    if (v.shape === 'dict' && v.fields) {
      // Iterating a dict yields its keys; constant keys are clean.
      out = join(out, EMPTY);
    }
    if (v.labels.length) out = join(out, withLabels(v.labels));
    return out ?? EMPTY;
  }

  private evalName(e: Extract<Expr, { k: 'name' }>): AbsValue {
    const local = this.lookup(e.id);
    if (local) return this.engine.withSensitiveLabel(local, e.id, this.module, e.span);
    const q = this.engine.program.resolveExprName(this.module, e);
    if (!q) return EMPTY;
    const v = this.engine.valueOfQname(q, this.module, e.id, e.span);
    return this.engine.program.lookupGlobal(this.module, e.id)?.kind === 'module' && !v.labels.length ? { ...v, shape: 'module' } : v;
  }

  private lookup(name: string): AbsValue | undefined {
    const v = this.env.get(name);
    if (v) return v;
    const closure = this.unit.closure;
    if (closure && !this.localNames.has(name)) {
      const c = closure.get(name);
      this.closureReads?.push([name, c]);
      if (c) return c;
    }
    if (this.unit.def && !this.localNames.has(name)) {
      const g = this.engine.globalValue(this.module, name);
      if (g) return g;
    }
    return undefined;
  }

  private evalAttr(e: Extract<Expr, { k: 'attr' }>): AbsValue {
    const obj = this.eval(e.obj);
    if (obj.qname) {
      const q = this.engine.program.member(obj.qname, e.name);
      return this.engine.valueOfQname(q, this.module, this.exprText(e), e.span);
    }
    const field = getField(obj, `a:${e.name}`);
    if (field) return this.engine.withSensitiveLabel(field, e.name, this.module, e.span);
    // `self.path` in a subclass of a modelled request handler.
    if (obj.type) {
      const src = this.engine.selfSource(obj.type, e.name, this.loc(e.span), this.exprText(e));
      if (src) return src;
      const typed = this.engine.typedAttrSource(obj.type, e.name, this.loc(e.span), this.exprText(e));
      if (typed) return typed;
      const method = this.engine.program.findMethod(obj.type, e.name);
      if (method) return { labels: [], fns: [{ qname: method, def: this.engine.program.functions.get(method)!.def, self: obj, className: obj.type }] };
    }
    return this.engine.withSensitiveLabel(this.readAttr(obj, e.name), e.name, this.module, e.span);
  }

  /** Reading an unknown attribute: the object's taint flows to it; parameter origins gain the field. */
  private readAttr(obj: AbsValue, name: string): AbsValue {
    // A secret-named object's other attributes (`secret.uuid`) are not secrets; a sensitive-named
    // attribute gets its own label back from the caller.
    const keepSecret = CONTENT_ATTRIBUTES.has(name.toLowerCase());
    const labels = obj.labels.filter((l) => keepSecret || !isSensitiveLabel(l)).map((l) =>
      l.origin.kind === 'param' && l.origin.field === undefined ? { ...l, origin: { ...l.origin, field: `a:${name}` } } : l,
    );
    const fromElems = obj.elems && obj.shape === undefined ? deepLabels(obj.elems) : [];
    return withLabels(mergeLabels(labels, fromElems));
  }

  private evalIndex(e: Extract<Expr, { k: 'index' }>): AbsValue {
    const obj = this.eval(e.obj);
    const key = this.eval(e.index);
    if (obj.shape === 'strmap') return { labels: this.describeSourceCall(obj, e.obj, e).labels, shape: 'str' };
    if (obj.hasConst && key.hasConst) {
      const f = foldIndex(obj.value!, key.value!);
      if (f !== UNKNOWN) return constant(f);
    }
    if (key.hasConst && typeof key.value === 'string') {
      return this.engine.withSensitiveLabel(this.indexByConst(obj, key), key.value, this.module, e.span);
    }
    return this.indexByConst(obj, key);
  }

  private indexByConst(obj: AbsValue, key: AbsValue): AbsValue {
    if (key.hasConst && key.value !== null) {
      const k = `k:${String(key.value)}`;
      const f = getField(obj, k);
      if (f) return f;
      if (obj.fields && !obj.elems && obj.labels.length === 0 && (obj.shape === 'dict' || obj.shape === 'list' || obj.shape === 'tuple')) {
        // A known container without that key: negative index into a tuple still hits a field.
        if (typeof key.value === 'number' && key.value < 0) {
          const n = [...obj.fields.keys()].filter((x) => x.startsWith('k:')).length;
          const g = getField(obj, `k:${n + key.value}`);
          if (g) return g;
        }
        return EMPTY;
      }
      const keepSecret = CONTENT_ATTRIBUTES.has(String(key.value).toLowerCase());
      const labels = obj.labels.filter((l) => keepSecret || !isSensitiveLabel(l)).map((l) =>
        l.origin.kind === 'param' && l.origin.field === undefined ? { ...l, origin: { ...l.origin, field: k } } : l,
      );
      return join(obj.elems, withLabels(labels));
    }
    // Unknown key: anything in the container.
    return join(this.iterationValue(obj), undefined);
  }

  // ---------------------------------------------------------------- calls

  private evalArgs(args: Arg[]): EvaluatedArg[] {
    return args.map((arg) => {
      const value = this.eval(arg.value);
      const labels = deepLabels(value);
      if (labels.length) this.engine.noteArgKinds(arg.value, labels);
      return { arg, value };
    });
  }

  private evalCall(call: Extract<Expr, { k: 'call' }>): AbsValue {
    const fnExpr = call.fn;
    // Receiver and callee value.
    let receiver: AbsValue | undefined;
    let callee: AbsValue;
    let methodName: string | undefined;
    let callOnModule = false;
    if (fnExpr.k === 'attr') {
      receiver = this.eval(fnExpr.obj);
      methodName = fnExpr.name;
      callOnModule = receiver.shape === 'module';
      if (receiver.qname) {
        callee = this.engine.valueOfQname(this.engine.program.member(receiver.qname, fnExpr.name), this.module, this.exprText(fnExpr), fnExpr.span);
        receiver = undefined; // a module or class attribute, not a bound method
      } else callee = this.evalAttrOn(receiver, fnExpr);
    } else {
      callee = this.eval(fnExpr);
    }
    // A source read as a call (`request.args.get("q")`): name the whole call in the evidence.
    callee = this.describeSourceCall(callee, fnExpr, call);
    const args = this.evalArgs(call.args);
    const chain = callOnModule ? undefined : this.exprChain(fnExpr);
    let qname = callee.qname;
    if (!qname && receiver?.type && methodName) qname = this.engine.program.member(receiver.type, methodName);
    if (!qname && fnExpr.k === 'attr' && !receiver?.type) qname = this.resolveChain(fnExpr);
    const canonical = qname ? this.engine.program.canonical(qname) : undefined;
    const callLoc = this.loc(call.span);

    // Models: sinks are checked on the arguments whatever else the call does.
    const models = this.engine.callModels(canonical, chain);
    for (const sink of models.sinks) this.checkSink(sink, call, args, receiver, canonical ?? chain ?? '?');

    // Configuration methods record constant settings on the receiver variable (parser.setFeature(X, True)).
    if (fnExpr.k === 'attr' && models.isConfigMethod) {
      const key = args[0] ? this.argQname(args[0].arg.value) : undefined;
      const val = args[1]?.value;
      if (key && val?.hasConst) this.updatePath(fnExpr.obj, (o) => setField(o, `cfg:${key}`, val));
      return EMPTY;
    }

    // Sanitizers.
    const sanitizers = models.sanitizers.filter((m) => {
      if (!m.whenKeyword) return true;
      const kw = args.find((a) => a.arg.name === m.whenKeyword!.name);
      const q = kw ? this.argQname(kw.arg.value) : undefined;
      return !!q && m.whenKeyword.qnames.includes(q);
    });
    if (sanitizers.length) return this.applySanitizers(sanitizers, args, receiver, call);

    if (models.noReturn) return EMPTY;
    if (canonical && models.clean) return this.cleanResult(canonical);
    if (methodName && PREDICATE_METHODS.has(methodName)) return { labels: [], shape: 'bool' };

    // Calls into the program.
    const targets = this.programTargets(callee, canonical, receiver, methodName);
    if (targets.length) {
      let out: AbsValue | undefined;
      for (const t of targets) out = join(out, this.callProgram(t, args, call, fnExpr));
      return out ?? EMPTY;
    }

    // Builtin containers and strings.
    if (methodName && receiver) {
      const r = this.containerMethod(methodName, receiver, args, fnExpr as Extract<Expr, { k: 'attr' }>, call);
      if (r) return r;
    }
    if (canonical) {
      const r = this.builtinCall(canonical, args);
      if (r) return r;
    }

    // A method of a string-valued request mapping (`request.args.get`) returns strings.
    if (callee.shape === 'strmap' && methodName) {
      const labels = deepLabels(callee);
      if (methodName === 'getlist' || methodName === 'values') return { labels: [], elems: { labels, shape: 'str' }, shape: 'list' };
      if (methodName === 'get' || methodName === 'pop' || methodName === 'setdefault') return { labels, shape: 'str' };
    }
    // Unknown external call: the result carries the taint of callee, receiver and arguments.
    let labels = deepLabels(callee);
    if (receiver) labels = mergeLabels(labels, deepLabels(receiver));
    for (const a of args) labels = mergeLabels(labels, deepLabels(a.value));
    const result: { -readonly [K in keyof AbsValue]: AbsValue[K] } = { labels };
    const factory = models.factory;
    if (factory) result.type = factory.returns;
    else if (canonical && !receiver && /\.[A-Z][A-Za-z0-9]*$/.test(canonical)) {
      result.type = canonical; // constructor of an external class
      const fields = new Map<string, AbsValue>();
      for (const a of args) if (a.arg.name && a.value.hasConst) fields.set(`kw:${a.arg.name}`, a.value);
      if (fields.size) result.fields = fields;
    }
    // Remember what a URL was parsed from and which pattern a regex was compiled from: guards use both.
    if (canonical && /(^|\.)url(parse|split)$/.test(canonical) && call.args[0]?.value.k === 'name') {
      result.fields = new Map([...(result.fields ?? []), ['meta:parsedFrom', constant(call.args[0].value.id)]]);
    }
    if (canonical === 're.compile' && args[0]?.value.hasConst) {
      result.fields = new Map([...(result.fields ?? []), ['a:pattern', args[0].value]]);
    }
    void callLoc;
    return result;
  }

  private describeSourceCall(callee: AbsValue, fnExpr: Expr, call: Expr): AbsValue {
    if (!callee.labels.length || call.span.startLine !== call.span.endLine) return callee;
    const at = fnExpr.span;
    const text = this.exprText(call);
    if (text.length > 80) return callee;
    let changed = false;
    const labels = callee.labels.map((l) => {
      const o = l.origin;
      if (o.kind !== 'source' || o.loc.line !== at.startLine || o.loc.column !== at.startColumn || l.steps.length !== 1) return l;
      changed = true;
      const loc = this.loc(call.span);
      const oldText = o.description;
      return { ...l, origin: { ...o, description: text, loc }, steps: [{ ...l.steps[0]!, loc, message: l.steps[0]!.message.replace(`\`${oldText}\``, `\`${text}\``) }] };
    });
    return changed ? { ...callee, labels } : callee;
  }

  private evalAttrOn(receiver: AbsValue, e: Extract<Expr, { k: 'attr' }>): AbsValue {
    const field = getField(receiver, `a:${e.name}`);
    if (field) return field;
    if (receiver.type) {
      const method = this.engine.program.findMethod(receiver.type, e.name);
      if (method) return { labels: [], fns: [{ qname: method, def: this.engine.program.functions.get(method)!.def, self: receiver, className: receiver.type }] };
      const src = this.engine.selfSource(receiver.type, e.name, this.loc(e.span), this.exprText(e));
      if (src) return src;
      const typed = this.engine.typedAttrSource(receiver.type, e.name, this.loc(e.span), this.exprText(e));
      if (typed) return typed;
    }
    return EMPTY;
  }

  private cleanResult(q: string): AbsValue {
    return { labels: [], shape: q === 'builtins.len' || q === 'builtins.int' || q === 'builtins.float' ? 'number' : undefined };
  }

  private builtinCall(q: string, args: EvaluatedArg[]): AbsValue | undefined {
    const first = args[0]?.value;
    if (q === 'builtins.str' || q === 'builtins.repr' || q === 'builtins.format') {
      if (first?.hasConst) return constant(constToStr(first.value!));
      return first ? { ...flatten(first), shape: 'str' } : constant('');
    }
    if (ITER_ONLY_BUILTINS.has(q)) {
      if (!first) return { labels: [], shape: 'list' };
      if (q === 'builtins.list' || q === 'builtins.tuple') {
        if (first.fields && (first.shape === 'list' || first.shape === 'tuple')) return { ...first, shape: q === 'builtins.list' ? 'list' : 'tuple' };
      }
      return { labels: [], elems: this.iterationValue(first), shape: 'list' };
    }
    if (q === 'builtins.dict') {
      let v: AbsValue = { labels: [], shape: 'dict' };
      if (first && (first.fields || first.elems)) v = { ...first, shape: 'dict' };
      const fields = new Map(v.fields ?? []);
      for (const a of args) if (a.arg.name) fields.set(`k:${a.arg.name}`, a.value);
      return { ...v, fields: fields.size ? fields : undefined };
    }
    if (q === 'builtins.getattr') {
      // getattr(module, "eval") is module.eval; otherwise any attribute of the object.
      const name = args[1]?.value;
      if (first?.qname && name?.hasConst && typeof name.value === 'string') {
        return this.engine.valueOfQname(`${first.qname}.${name.value}`, this.module, `${first.qname}.${name.value}`, args[1]!.arg.value.span);
      }
      return first ? flatten(first) : EMPTY;
    }
    if (q === 'builtins.next' && first) return this.iterationValue(first);
    if (q === 'builtins.enumerate' && first) return { labels: [], elems: { labels: [], fields: new Map([['k:0', EMPTY], ['k:1', this.iterationValue(first)]]), shape: 'tuple' }, shape: 'list' };
    if (q === 'builtins.zip') {
      const fields = new Map<string, AbsValue>();
      args.forEach((a, i) => fields.set(`k:${i}`, this.iterationValue(a.value)));
      return { labels: [], elems: { labels: [], fields, shape: 'tuple' }, shape: 'list' };
    }
    if (q === 'builtins.map' || q === 'builtins.filter') {
      const fnv = first;
      const iter = args[1] ? this.iterationValue(args[1].value) : EMPTY;
      if (q === 'builtins.map' && fnv?.fns?.length) {
        const r = this.callFunctionValue(fnv, [{ arg: { value: args[1]!.arg.value }, value: iter }]);
        return { labels: [], elems: r, shape: 'list' };
      }
      return { labels: [], elems: iter, shape: 'list' };
    }
    return undefined;
  }

  /** Models of list/dict/str/configparser/deque methods; undefined when the method is not one of them. */
  private containerMethod(name: string, recv: AbsValue, args: EvaluatedArg[], fnExpr: Extract<Expr, { k: 'attr' }>, call: Extract<Expr, { k: 'call' }>): AbsValue | undefined {
    const a0 = args[0]?.value;
    const a1 = args[1]?.value;
    const isConfig = recv.type !== undefined && /configparser\.(Raw|Safe)?ConfigParser$/.test(recv.type);
    const constKey = (v: AbsValue | undefined) => (v?.hasConst && v.value !== null ? String(v.value) : undefined);
    const mutate = (fn: (v: AbsValue) => AbsValue) => this.updatePath(fnExpr.obj, fn);
    switch (name) {
      case 'append':
        // Outside loops a list built by appends keeps exact positions, so `lst[0]` after
        // `lst.append("safe"); lst.append(user)` is still known to be the constant.
        if (a0) mutate((o) => (this.loopDepth === 0 && !o.elems && (o.shape === 'list' || isDeque(o)) ? { ...setField(o, `k:${listLength(o)}`, a0), shape: o.shape ?? 'list' } : { ...o, elems: join(o.elems, a0), shape: o.shape ?? 'list' }));
        return EMPTY;
      case 'appendleft':
      case 'add':
        if (a0) mutate((o) => ({ ...o, elems: join(o.elems, a0), shape: o.shape ?? 'list' }));
        return EMPTY;
      case 'extend':
        if (a0) mutate((o) => ({ ...o, elems: join(o.elems, this.iterationValue(a0)), shape: o.shape ?? 'list' }));
        return EMPTY;
      case 'insert':
        if (a1) mutate((o) => ({ ...recvWithoutIndexFields(o), elems: join(o.elems, join(a1, joinIndexFields(o))) }));
        return EMPTY;
      case 'update':
        if (a0) mutate((o) => {
          let n = o;
          for (const [k, v] of a0.fields ?? []) n = setField(n, k, v);
          if (a0.elems || a0.labels.length) n = { ...n, elems: join(n.elems, join(a0.elems, withLabels(a0.labels))) };
          for (const a of args) if (a.arg.name) n = setField(n, `k:${a.arg.name}`, a.value);
          return n;
        });
        return EMPTY;
      case 'setdefault': {
        const k = constKey(a0);
        if (k !== undefined) {
          const existing = getField(recv, `k:${k}`);
          if (existing) return existing;
          if (a1) mutate((o) => setField(o, `k:${k}`, a1));
          return a1 ?? EMPTY;
        }
        return join(this.iterationValueOfMapping(recv), a1);
      }
      case 'get': {
        if (isConfig && args.length >= 2) {
          const k = `k:${constKey(a0)}/${constKey(a1)}`;
          return getField(recv, k) ?? (recv.elems ?? withLabels(recv.labels));
        }
        const k = constKey(a0);
        if (k !== undefined && (recv.shape === 'dict' || recv.fields)) {
          const f = getField(recv, `k:${k}`);
          if (f) return join(f, undefined);
          if (recv.shape === 'dict' && !recv.elems && recv.labels.length === 0) return a1 ?? EMPTY;
        }
        if (recv.shape === 'dict' || recv.fields || recv.elems) return join(this.iterationValueOfMapping(recv), a1);
        return undefined;
      }
      case 'set':
        if (isConfig && args.length >= 3) {
          const k = `k:${constKey(a0)}/${constKey(a1)}`;
          mutate((o) => setField(o, k, args[2]!.value));
          return EMPTY;
        }
        return undefined;
      case 'pop':
      case 'popleft': {
        if (recv.shape === 'dict') {
          const k = constKey(a0);
          if (k !== undefined && getField(recv, `k:${k}`)) return getField(recv, `k:${k}`)!;
          return join(this.iterationValueOfMapping(recv), a1);
        }
        if (name === 'pop' && a0?.hasConst && typeof a0.value === 'number' && recv.fields) {
          const idx = a0.value < 0 ? listLength(recv) + a0.value : a0.value;
          const picked = getField(recv, `k:${idx}`);
          // Remove the element and shift the rest down so later constant indices stay exact.
          mutate((o) => shiftOut(o, idx));
          return picked ?? this.iterationValue(recv);
        }
        if (name === 'popleft' || (name === 'pop' && !a0)) {
          const idx = name === 'popleft' ? 0 : listLength(recv) - 1;
          const picked = recv.elems ? undefined : getField(recv, `k:${idx}`);
          if (picked && !recv.elems) {
            mutate((o) => shiftOut(o, idx));
            return picked;
          }
        }
        return this.iterationValue(recv);
      }
      case 'items':
        return { labels: [], elems: { labels: [], fields: new Map([['k:0', EMPTY], ['k:1', this.iterationValueOfMapping(recv)]]), elems: withLabels(recv.labels), shape: 'tuple' }, shape: 'list' };
      case 'keys':
        // Keys of request mappings are attacker-chosen; keys of literal dicts are constants.
        return { labels: [], elems: withLabels(recv.labels), shape: 'list' };
      case 'values':
        return { labels: [], elems: this.iterationValueOfMapping(recv), shape: 'list' };
      case 'copy':
        return recv;
      case 'join': {
        const parts = a0 ? this.iterationValue(a0) : EMPTY;
        if (recv.hasConst && !isTainted(parts) && a0?.fields && a0.shape !== 'dict' && [...a0.fields.values()].every((v) => v.hasConst) && !a0.elems) {
          return constant([...a0.fields.values()].map((v) => constToStr(v.value!)).join(constToStr(recv.value!)));
        }
        return { labels: mergeLabels(deepLabels(recv), deepLabels(parts)), shape: 'str' };
      }
      case 'format':
      case 'format_map': {
        let labels = deepLabels(recv);
        for (const a of args) labels = mergeLabels(labels, deepLabels(a.value));
        return { labels, shape: 'str' };
      }
      case 'replace': {
        // Removing or escaping CR/LF neutralises log forging and header splitting.
        if (a0?.hasConst && typeof a0.value === 'string' && /^[\r\n]+$/.test(a0.value)) {
          const mask = this.engine.kindMask(['log', 'header']);
          return { ...mapLabels(flatten(recv), (l) => ({ ...l, cleared: l.cleared | mask })), shape: 'str' };
        }
        return undefined;
      }
      case 'split':
      case 'rsplit':
      case 'splitlines':
        return { labels: [], elems: flatten(recv), shape: 'list' };
      case 'index':
      case 'count':
      case 'find':
      case 'rfind':
      case 'startswith':
      case 'endswith':
        return { labels: [], shape: name === 'startswith' || name === 'endswith' ? 'bool' : 'number' };
      default: {
        if (recv.hasConst && args.every((a) => a.value.hasConst)) {
          const f = foldStrMethod(recv.value!, name, args.map((a) => a.value.value!));
          if (f !== UNKNOWN) return constant(f);
        }
        void call;
        return undefined;
      }
    }
  }

  private iterationValueOfMapping(v: AbsValue): AbsValue {
    let out: AbsValue | undefined = v.elems;
    for (const [k, f] of v.fields ?? []) if (k.startsWith('k:')) out = join(out, f);
    if (v.labels.length) out = join(out, withLabels(v.labels));
    return out ?? EMPTY;
  }

  private applySanitizers(models: ReturnType<typeof findMatching<import('./models.js').SanitizerModel>>, args: EvaluatedArg[], receiver: AbsValue | undefined, call: Extract<Expr, { k: 'call' }> | undefined): AbsValue {
    let out: AbsValue | undefined;
    for (const m of models) {
      let input: AbsValue | undefined;
      if (m.arg !== undefined) input = pickArg(args, m.arg)?.value;
      else input = args.find((a) => !a.arg.name && !a.arg.spread)?.value ?? receiver ?? args[0]?.value;
      if (!input) continue;
      if (m.clears === 'all') {
        out = join(out, EMPTY);
        continue;
      }
      const mask = this.engine.kindMask(m.clears);
      const flagMask = (m.flags ?? []).reduce((acc, f) => acc | (f === 'normalizedPath' ? LabelFlag.normalizedPath : 0), 0);
      const v = mapLabels(flatten(input), (l) => ({ ...l, cleared: l.cleared | mask, flags: l.flags | flagMask }));
      out = join(out, m.result === 'data' ? v : { ...v, shape: 'str' });
    }
    void call;
    return out ?? EMPTY;
  }

  /** Program functions a call may reach (direct, method on a known class, or by name for dynamic receivers). */
  private programTargets(callee: AbsValue, canonical: string | undefined, receiver: AbsValue | undefined, methodName: string | undefined): Array<{ ref: FunctionRef; isCtor?: string }> {
    const out: Array<{ ref: FunctionRef; isCtor?: string }> = [];
    for (const f of callee.fns ?? []) out.push({ ref: f });
    if (out.length) return out;
    if (canonical) {
      const sym = this.engine.program.resolveSymbol(canonical);
      if (sym?.kind === 'function') return [{ ref: { qname: sym.qname, def: sym.def, className: sym.className } }];
      if (sym?.kind === 'class') {
        const init = this.engine.program.findMethod(sym.qname, '__init__');
        const def = init ? this.engine.program.functions.get(init)!.def : undefined;
        return [{ ref: { qname: init ?? `${sym.qname}.__init__`, def: def ?? syntheticInit(sym.def), className: sym.qname }, isCtor: sym.qname }];
      }
    }
    if (methodName && receiver && !receiver.type && !receiver.qname && resolvableByName(methodName)) {
      const cands = this.engine.program.methodsByName.get(methodName) ?? [];
      if (cands.length > 0 && cands.length <= 4) {
        for (const q of cands) {
          const fn = this.engine.program.functions.get(q)!;
          out.push({ ref: { qname: q, def: fn.def, self: receiver, className: fn.className } });
        }
      }
    }
    return out;
  }

  private callFunctionValue(fnv: AbsValue, args: EvaluatedArg[]): AbsValue {
    let out: AbsValue | undefined;
    for (const f of fnv.fns ?? []) out = join(out, this.invoke({ ref: f }, args, undefined, undefined));
    return out ?? EMPTY;
  }

  private callProgram(t: { ref: FunctionRef; isCtor?: string }, args: EvaluatedArg[], call: Extract<Expr, { k: 'call' }>, fnExpr: Expr): AbsValue {
    return this.invoke(t, args, call, fnExpr);
  }

  /** Applies a callee's summary at a call site: maps arguments to parameters and substitutes. */
  private invoke(t: { ref: FunctionRef; isCtor?: string }, args: EvaluatedArg[], call: Extract<Expr, { k: 'call' }> | undefined, fnExpr: Expr | undefined): AbsValue {
    const ref = t.ref;
    const def = ref.def;
    let summary: FunctionSummary;
    if (ref.closure || !this.engine.program.functions.has(ref.qname)) {
      if (this.inlineDepth >= MAX_INLINE_DEPTH) return withLabels(args.flatMap((a) => deepLabels(a.value)));
      summary = this.engine.analyzeNested(ref, this.module, this.unit, this.inlineDepth + 1);
    } else {
      summary = this.engine.summaryFor(ref.qname, this.unit.qname);
      this.callees.add(ref.qname);
    }
    const callLoc = call ? this.loc(call.span) : undefined;
    const layout = paramLayout(def);
    // Parameter values at this call.
    const isMethod = !!ref.className && def.params.length > 0 && !layout.isStatic;
    const selfValue: AbsValue | undefined = t.isCtor ? { labels: [], type: t.isCtor, shape: 'object' } : ref.self;
    const paramValues: Array<AbsValue | undefined> = new Array(def.params.length).fill(undefined);
    let pi = 0;
    if (isMethod && (selfValue || t.isCtor)) {
      paramValues[0] = selfValue;
      pi = 1;
    }
    const { positional, vararg, kwarg } = layout;
    for (const a of args) {
      if (a.arg.spread === 1) {
        for (let i = pi; i < positional.length; i++) paramValues[positional[i]!] = join(paramValues[positional[i]!], this.iterationValue(a.value));
        if (vararg >= 0) paramValues[vararg] = join(paramValues[vararg], { labels: [], elems: this.iterationValue(a.value) });
        continue;
      }
      if (a.arg.spread === 2) {
        for (const [k, v] of a.value.fields ?? []) {
          const idx = def.params.findIndex((p) => `k:${p.name}` === k);
          if (idx >= 0) paramValues[idx] = v;
        }
        if (a.value.elems || a.value.labels.length) {
          const any = join(a.value.elems, withLabels(a.value.labels));
          def.params.forEach((p, i) => {
            if (p.kind !== 'vararg' && !(isMethod && i === 0)) paramValues[i] = join(paramValues[i], any);
          });
        }
        continue;
      }
      if (a.arg.name) {
        const idx = def.params.findIndex((p) => p.name === a.arg.name && p.kind !== 'vararg' && p.kind !== 'kwarg');
        if (idx >= 0) paramValues[idx] = a.value;
        else if (kwarg >= 0) paramValues[kwarg] = join(paramValues[kwarg], { labels: [], fields: new Map([[`k:${a.arg.name}`, a.value]]), shape: 'dict' });
        continue;
      }
      if (pi < positional.length) {
        paramValues[positional[pi]!] = a.value;
        pi++;
      } else if (vararg >= 0) {
        paramValues[vararg] = join(paramValues[vararg], { labels: [], elems: a.value, shape: 'tuple' });
      }
    }
    for (let i = 0; i < def.params.length; i++) {
      const d = def.params[i]!.default;
      if (paramValues[i] === undefined && d) paramValues[i] = this.evalDefault(d);
    }
    const sub = new CallSubstitution(this.engine, def, paramValues, layout.calleeName, callLoc, callLoc ?? this.loc(def.span));

    // Sinks inside the callee reached by our arguments.
    for (const s of summary.sinks) {
      const inner: Label = { origin: { kind: 'param', index: s.index, field: s.field }, cleared: s.cleared, flags: s.flags, steps: s.steps };
      for (const l of sub.label(inner)) this.reachSink(l, s.site);
    }
    let result = sub.value(summary.ret);
    if (t.isCtor) {
      let obj: AbsValue = { labels: [], type: t.isCtor, shape: 'object' };
      const f = new Map<string, AbsValue>();
      for (const [k, v] of summary.selfWrites) f.set(k, sub.value(v));
      if (f.size) obj = { ...obj, fields: f };
      result = obj;
    } else if (isMethod && summary.selfWrites.size && fnExpr?.k === 'attr') {
      const writes = [...summary.selfWrites].map(([k, v]) => [k, sub.value(v)] as const);
      // What setField for each write in turn gives, with one copy of the fields.
      this.updatePath(fnExpr.obj, (o) => {
        const f = new Map(o.fields ?? []);
        for (const [k, v] of writes) f.set(k, join(f.get(k), v));
        return { ...o, fields: f, hasConst: false, value: undefined };
      });
    }
    return result;
  }

  private evalDefault(e: Expr): AbsValue {
    if (e.k === 'const') return constant(e.value);
    return EMPTY;
  }

  // ---------------------------------------------------------------- sinks

  private checkSink(sink: SinkModel, call: Extract<Expr, { k: 'call' }>, args: EvaluatedArg[], receiver: AbsValue | undefined, calleeName: string): void {
    if (sink.when && !this.conditionHolds(sink, args, receiver)) return;
    const picked: Array<{ value: AbsValue; label: string }> = [];
    if (sink.args === 'all') {
      // `log.info("user %r", name)`: a %r placeholder writes repr(), which escapes line breaks.
      const fmt = sink.kind === 'log' && args[0]?.value.hasConst && typeof args[0].value.value === 'string' ? args[0].value.value : undefined;
      const conversions = fmt ? [...fmt.matchAll(/%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?([a-z%])/gi)].map((m) => m[1]).filter((c) => c !== '%') : [];
      args.forEach((a, i) => {
        if (fmt && i >= 1 && !a.arg.name && conversions[i - 1] === 'r') return;
        picked.push({ value: a.value, label: a.arg.name ? `keyword \`${a.arg.name}\`` : `argument ${i + 1}` });
      });
    } else {
      for (const ref of sink.args) {
        const a = pickArg(args, ref);
        if (a) picked.push({ value: a.value, label: typeof ref === 'number' ? `argument ${ref + 1}` : `keyword \`${ref}\`` });
        else if (ref === -1 && receiver) picked.push({ value: receiver, label: 'receiver' });
      }
    }
    const site: SinkSite = {
      kind: sink.kind,
      loc: this.loc(call.span),
      callee: calleeName,
      text: this.exprText(call),
      description: sink.description,
    };
    for (const p of picked) {
      let v = p.value;
      if (sink.part === 'program') v = programPart(v);
      const labels = sink.part === 'structure' ? structureLabels(v) : deepLabels(v);
      for (const l of labels) this.reachSink(l, { ...site, argument: p.label });
    }
  }

  private conditionHolds(sink: SinkModel, args: EvaluatedArg[], receiver: AbsValue | undefined): boolean {
    const w = sink.when!;
    if (w.truthy) {
      const a = w.truthy.map((r) => pickArg(args, r)).find((x) => x);
      if (!a) return false;
      if (a.value.hasConst && !truthy(a.value.value!)) return false;
    }
    if (w.requires && !w.requires.some((r) => pickArg(args, r))) return false;
    if (w.safeIf) {
      const a = w.safeIf.arg.map((r) => pickArg(args, r)).find((x) => x);
      if (a) {
        const q = this.argQname(a.arg.value) ?? (a.value.hasConst ? String(a.value.value) : a.value.type);
        if (q && w.safeIf.qnames.some((s) => q === s || q.endsWith(`.${s}`))) return false;
      }
    }
    if (w.objectField) {
      const a = w.objectField.arg.map((r) => pickArg(args, r)).find((x) => x);
      let f = a ? getField(a.value, `kw:${w.objectField.field}`) : undefined;
      for (const [k, v] of a?.value.fields ?? []) if (k.startsWith('cfg:') && k.endsWith(w.objectField.field)) f = v;
      const val = f?.hasConst ? truthy(f.value!) : a ? w.objectField.default : w.objectField.default;
      if (val !== w.objectField.equals) return false;
    }
    if (w.receiverNotType && receiver?.type && w.receiverNotType.includes(receiver.type)) return false;
    if (w.receiverNotShape && receiver && (receiver.hasConst || (receiver.shape && w.receiverNotShape.includes(receiver.shape)))) return false;
    if (w.argText) {
      const a = w.argText.arg.map((r) => pickArg(args, r)).find((x) => x);
      if (!a || !w.argText.pattern.test(this.exprText(a.arg.value))) return false;
    }
    if (w.argShape) {
      const a = w.argShape.arg.map((r) => pickArg(args, r)).find((x) => x);
      const shape = a?.value.shape ?? 'unknown-shape';
      if (!a || !w.argShape.shapes.includes(shape)) return false;
    }
    if (w.receiverConfig) {
      let set: boolean | undefined;
      for (const [k, v] of receiver?.fields ?? []) {
        if (k.startsWith('cfg:') && (k.slice(4) === w.receiverConfig.key || k.endsWith(`.${w.receiverConfig.key}`)) && v.hasConst) set = truthy(v.value!);
      }
      if ((set ?? w.receiverConfig.default) !== true) return false;
    }
    return true;
  }

  private reachSink(l: Label, site: SinkSite): void {
    const bit = this.engine.kindBit(site.kind);
    if (l.cleared & bit) return;
    if (site.kind === 'path' && l.flags & LabelFlag.prefixChecked && l.flags & LabelFlag.normalizedPath) return;
    if ((site.kind === 'redirect' || site.kind === 'ssrf') && l.flags & LabelFlag.fixedUrlPrefix) return;
    const last = l.steps[l.steps.length - 1];
    const alreadyAtSink = last?.kind === 'sink' && last.loc.file === site.loc.file && last.loc.line === site.loc.line && last.loc.column === site.loc.column;
    const sinkStep: Step = { kind: 'sink', loc: site.loc, message: site.description ? `reaches \`${site.callee}\` (${site.description})` : `reaches \`${site.callee}\`` };
    const stepsToSink = alreadyAtSink ? l.steps : [...l.steps, sinkStep];
    if (l.origin.kind === 'param') {
      const key = `${l.origin.index}:${l.origin.field ?? ''}:${site.kind}:${site.loc.file}:${site.loc.line}:${site.loc.column}:${l.cleared}:${l.flags}`;
      if (this.sinkKeys.has(key)) return;
      this.sinkKeys.add(key);
      this.sinks.push({ index: l.origin.index, field: l.origin.field, cleared: l.cleared, flags: l.flags, steps: stepsToSink.slice(-14), site });
      return;
    }
    if (!this.engine.sourceKindReportable(l.origin.sourceKind, site.kind)) return;
    const key = `${site.kind}:${site.loc.file}:${site.loc.line}:${site.loc.column}:${l.origin.loc.file}:${l.origin.loc.line}:${l.origin.sourceKind}`;
    if (this.flowKeys.has(key)) return;
    this.flowKeys.add(key);
    this.flows.push({ site, label: l, steps: stepsToSink, enclosing: this.unit.qname });
  }

  private checkStoreSink(target: Extract<Expr, { k: 'attr' | 'index' }>, value: AbsValue, span: Span): void {
    const container = target.obj;
    const chain = this.exprChain(container);
    const q = this.resolveChain(container) ?? this.eval(container).qname;
    const models = findMatching(this.engine.models.storeSinks, q ? this.engine.program.canonical(q) : undefined, chain);
    for (const m of models) {
      if (m.key !== undefined) {
        const k = target.k === 'index' ? this.eval(target.index) : constant(target.name);
        if (!k.hasConst || String(k.value).toLowerCase() !== m.key.toLowerCase()) continue;
      }
      const site: SinkSite = { kind: m.kind, loc: this.loc(span), callee: chain ?? q ?? '?', text: this.lineText(span.startLine), description: m.description, argument: 'assigned value' };
      for (const l of deepLabels(value)) this.reachSink(l, site);
    }
  }

  private checkHtmlReturn(e: Expr, v: AbsValue): void {
    if (v.shape === 'dict' || v.shape === 'list' || v.shape === 'number' || v.shape === 'bool') return;
    if (v.type) return; // a response object: its construction was checked where it was built
    let value = v;
    if (v.shape === 'tuple') {
      value = getField(v, 'k:0') ?? EMPTY;
      // `return body, 200, {"Content-Type": "application/json"}`: a non-HTML content type is not XSS.
      for (const k of ['k:1', 'k:2']) {
        const headers = getField(v, k);
        for (const [hk, hv] of headers?.fields ?? []) {
          if (hk.toLowerCase() === 'k:content-type' && hv.hasConst && typeof hv.value === 'string' && !/html|xml/i.test(hv.value)) return;
        }
      }
    }
    if (value.shape === 'dict' || value.shape === 'list' || value.type) return;
    const site: SinkSite = { kind: 'xss', loc: this.loc(e.span), callee: `return from \`${this.unit.def?.name}\``, text: this.lineText(e.span.startLine), description: 'a string returned by a request handler is sent as text/html' };
    for (const l of contentLabels(value)) this.reachSink(l, { ...site, argument: 'response body' });
  }

  private isNoReturnCall(call: Extract<Expr, { k: 'call' }>): boolean {
    const chain = this.exprChain(call.fn);
    const q = this.resolveChain(call.fn);
    const c = q ? this.engine.program.canonical(q) : undefined;
    if (this.engine.callModels(c, chain).noReturn) return true;
    if (c) {
      const sym = this.engine.program.resolveSymbol(c);
      if (sym?.kind === 'function') return this.engine.summaryFor(sym.qname, this.unit.qname).noReturn;
    }
    return false;
  }

  // ---------------------------------------------------------------- guards

  private refinements(test: Expr): { whenTrue: Refinement[]; whenFalse: Refinement[] } {
    const none = { whenTrue: [] as Refinement[], whenFalse: [] as Refinement[] };
    const clean: (name: string) => Refinement = (name) => ({ name, apply: () => EMPTY, clears: 'all', flags: 0 });
    const clearKinds = (name: string, kinds: string[]): Refinement => clearMask(name, this.engine.kindMask(kinds));
    const clearMask = (name: string, mask: number): Refinement => ({ name, apply: (v) => mapLabels(v, (l) => ({ ...l, cleared: l.cleared | mask })), clears: mask, flags: 0 });
    switch (test.k) {
      case 'unop':
        if (test.op === 'not') {
          const r = this.refinements(test.operand);
          return { whenTrue: r.whenFalse, whenFalse: r.whenTrue };
        }
        return none;
      case 'boolop': {
        const parts = test.values.map((v) => this.refinements(v));
        return test.op === 'and' ? { whenTrue: parts.flatMap((p) => p.whenTrue), whenFalse: [] } : { whenTrue: [], whenFalse: parts.flatMap((p) => p.whenFalse) };
      }
      case 'compare': {
        if (test.ops.length !== 1) return none;
        const [l, r] = test.operands as [Expr, Expr];
        const op = test.ops[0]!;
        const urlRoot = this.urlParseRoot(l);
        if (urlRoot && (op === '==' || op === 'in' || op === 'is')) {
          const rv = this.eval(r);
          if (!isTainted(rv)) return { whenTrue: [clearKinds(urlRoot, ['redirect', 'ssrf'])], whenFalse: [] };
        }
        if (urlRoot && (op === '!=' || op === 'not in')) {
          const rv = this.eval(r);
          if (!isTainted(rv)) return { whenTrue: [], whenFalse: [clearKinds(urlRoot, ['redirect', 'ssrf'])] };
        }
        const name = guardSubject(l);
        if (!name) return none;
        if (op === 'in' || op === 'not in') {
          const rv = this.eval(r);
          if (isTainted(rv) || !isConstantCollection(rv)) return none;
          return op === 'in' ? { whenTrue: [clean(name)], whenFalse: [] } : { whenTrue: [], whenFalse: [clean(name)] };
        }
        if (op === '==' || op === '!=') {
          const rv = this.eval(r);
          if (!rv.hasConst) return none;
          return op === '==' ? { whenTrue: [clean(name)], whenFalse: [] } : { whenTrue: [], whenFalse: [clean(name)] };
        }
        return none;
      }
      case 'call': {
        const fn = test.fn;
        if (fn.k === 'attr' && PREDICATE_METHODS.has(fn.name) && fn.name !== 'isspace' && fn.name !== 'islower' && fn.name !== 'isupper') {
          const name = guardSubject(fn.obj);
          return name ? { whenTrue: [clean(name)], whenFalse: [] } : none;
        }
        const q = this.resolveChain(fn);
        const c = q ? this.engine.program.canonical(q) : undefined;
        const chain = this.exprChain(fn);
        if (fn.k === 'attr' && (fn.name === 'startswith' || fn.name === 'is_relative_to')) {
          const name = guardSubject(fn.obj);
          if (!name) return none;
          return {
            whenTrue: [{ name, apply: (v) => mapLabels(v, (l) => ({ ...l, flags: l.flags | LabelFlag.prefixChecked })), clears: 0, flags: LabelFlag.prefixChecked }],
            whenFalse: [],
          };
        }
        if (c === 'builtins.isinstance' && test.args[0]) {
          const name = guardSubject(test.args[0].value);
          const typeText = test.args[1] ? this.exprText(test.args[1].value) : '';
          return name && /\b(int|float|bool|UUID|Decimal)\b/.test(typeText) ? { whenTrue: [clean(name)], whenFalse: [] } : none;
        }
        if (c === 're.fullmatch' || c === 're.match' || (fn.k === 'attr' && (fn.name === 'fullmatch' || fn.name === 'match') && !c?.startsWith('re.'))) {
          const isModuleFn = c === 're.fullmatch' || c === 're.match';
          const subjectArg = isModuleFn ? test.args[1] : test.args[0];
          const name = subjectArg ? guardSubject(subjectArg.value) : undefined;
          if (!name) return none;
          const anchored = c === 're.fullmatch' || (fn.k === 'attr' && fn.name === 'fullmatch') || (isModuleFn && this.isAnchoredPattern(test.args[0]?.value)) || (!isModuleFn && fn.k === 'attr' && this.isAnchoredPattern(fn.obj));
          return anchored ? { whenTrue: [clean(name)], whenFalse: [] } : none;
        }
        const sym = c ? this.engine.program.resolveSymbol(c) : undefined;
        if (sym?.kind === 'function') {
          const summary = this.engine.summaryFor(sym.qname, this.unit.qname);
          const out: Refinement[] = [];
          for (const p of summary.predicates) {
            const positional = test.args.filter((a) => !a.name && !a.spread);
            const offset = sym.className && !isStaticMethod(sym.def) ? 1 : 0;
            const a = positional[p.index - offset] ?? test.args.find((x) => x.name === sym.def.params[p.index]?.name);
            const name = a ? guardSubject(a.value) : undefined;
            if (!name) continue;
            if (p.clears === 'all') out.push(clean(name));
            else if (p.clears) out.push(clearMask(name, p.clears));
            if (p.flags) out.push({ name, apply: (v) => mapLabels(v, (l) => ({ ...l, flags: l.flags | p.flags })), clears: 0, flags: p.flags });
          }
          if (out.length) return { whenTrue: out, whenFalse: [] };
        }
        for (const g of findMatching(this.engine.models.guards, c, chain)) {
          const a = g.arg !== undefined ? test.args.find((x, i) => (typeof g.arg === 'string' ? x.name === g.arg : !x.name && i === g.arg)) : test.args[0];
          const name = a ? guardSubject(a.value) : undefined;
          if (name) return { whenTrue: [g.clears === 'all' ? clean(name) : clearKinds(name, g.clears)], whenFalse: [] };
        }
        return none;
      }
      default:
        return none;
    }
  }

  private isAnchoredPattern(e: Expr | undefined): boolean {
    if (!e) return false;
    const v = this.eval(e);
    let pattern: string | undefined = v.hasConst && typeof v.value === 'string' ? v.value : undefined;
    if (!pattern) {
      const p = getField(v, 'a:pattern');
      if (p?.hasConst && typeof p.value === 'string') pattern = p.value;
    }
    if (!pattern && e.k === 'call' && e.args[0]) {
      const a = this.eval(e.args[0].value);
      if (a.hasConst && typeof a.value === 'string') pattern = a.value;
    }
    return !!pattern && /\$$|\\Z$|\\z$/.test(pattern);
  }

  /** For `urlparse(x).netloc` / `urlsplit(x).hostname`, the guarded variable x. */
  private urlParseRoot(e: Expr): string | undefined {
    if (e.k === 'attr' && ['netloc', 'hostname', 'scheme'].includes(e.name)) {
      let inner = e.obj;
      if (inner.k === 'name') {
        // parsed = urlparse(x); parsed.netloc
        const f = getField(this.lookup(inner.id), 'meta:parsedFrom');
        return f?.hasConst && typeof f.value === 'string' ? f.value : undefined;
      }
      if (inner.k === 'call') {
        const q = this.resolveChain(inner.fn);
        if (q && /(^|\.)url(parse|split)$/.test(q) && inner.args[0]) return guardSubject(inner.args[0].value);
      }
      void inner;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- names and text

  /** Dotted chain of an expression as written ("self.db.execute"), or undefined. */
  exprChain(e: Expr): string | undefined {
    if (e.k === 'name') return e.id;
    if (e.k !== 'attr' && e.k !== 'call') return undefined;
    const cached = chainCache.get(e);
    if (cached !== undefined) return cached ?? undefined;
    let chain: string | undefined;
    if (e.k === 'attr') {
      const base = this.exprChain(e.obj);
      chain = base ? `${base}.${e.name}` : `?.${e.name}`;
    } else {
      const base = this.exprChain(e.fn);
      chain = base ? `${base}()` : undefined;
    }
    chainCache.set(e, chain ?? null);
    return chain;
  }

  /** Qualified name through imports when the chain starts at a global or import. */
  resolveChain(e: Expr): string | undefined {
    if (e.k === 'name') {
      const local = this.env.get(e.id);
      if (local) return local.qname;
      return this.engine.program.resolveExprName(this.module, e);
    }
    if (e.k === 'attr') {
      const base = this.resolveChain(e.obj);
      if (base) return this.engine.program.member(base, e.name);
      if (e.obj.k === 'name') {
        const v = this.env.get(e.obj.id);
        if (v?.type) return this.engine.program.member(v.type, e.name);
      }
    }
    return undefined;
  }

  private argQname(e: Expr): string | undefined {
    const q = this.resolveChain(e);
    return q ? this.engine.program.canonical(q) : undefined;
  }

  loc(span: Span): Loc {
    return locOf(this.module, span);
  }

  private lineText(line: number): string {
    return (this.module.lines[line - 1] ?? '').trim();
  }

  exprText(e: Expr): string {
    // Keyed by module too: a lambda from another module may be analysed with the caller's module.
    const cached = textCache.get(e);
    if (cached && cached.module === this.module) return cached.text;
    const text = spanText(this.module.lines, e.span);
    textCache.set(e, { module: this.module, text });
    return text;
  }

  envSnapshot(): Env {
    return this.env;
  }
}

/**
 * Replaces a callee summary's parameter origins by what the arguments of one call site carry.
 * Results per parameter label are memoised for the call: summaries repeat the same labels in many fields.
 */
class CallSubstitution {
  /** Per parameter: field ('' for the whole value) -> the labels that origin stands for at this call. */
  private readonly actuals: Array<Map<string, readonly Label[]> | undefined> = [];
  private readonly substituted = new Map<Label, readonly Label[]>();
  private readonly callSteps: Array<Step | undefined> = [];

  constructor(
    private readonly engine: Engine,
    private readonly def: FunctionDef,
    private readonly paramValues: ReadonlyArray<AbsValue | undefined>,
    private readonly calleeName: string,
    private readonly callLoc: Loc | undefined,
    /** Where evidence points when there is no call expression: the call, else the callee. */
    private readonly at: Loc,
  ) {}

  value(v: AbsValue, depth = 0): AbsValue {
    // Identity: `return param` passes the caller's value back with its structure.
    if (depth === 0 && v.labels.length === 1 && !v.fields && !v.elems && !v.shape && !v.type) {
      const l = v.labels[0]!;
      const actual = l.origin.kind === 'param' ? this.paramValues[l.origin.index] : undefined;
      if (actual && l.origin.kind === 'param' && !l.origin.field && l.cleared === 0 && l.flags === 0) {
        return valueWithStep(actual, { kind: 'return', loc: this.at, message: `returned by ${this.calleeName}` });
      }
    }
    if (isShareable(v) && !hasParamLabel(v.labels)) return v;
    const out: { -readonly [K in keyof AbsValue]: AbsValue[K] } = { ...v, labels: this.labels(v.labels) };
    if (depth < 5) {
      if (v.fields) {
        const f = new Map<string, AbsValue>();
        for (const [k, x] of v.fields) f.set(k, this.value(x, depth + 1));
        out.fields = f;
      }
      if (v.elems) out.elems = this.value(v.elems, depth + 1);
    }
    return out;
  }

  /** The substituted labels, at most MAX_SUBSTITUTED_LABELS. */
  private labels(ls: readonly Label[]): readonly Label[] {
    let i = 0;
    while (i < ls.length && ls[i]!.origin.kind !== 'param') i++;
    if (i === ls.length) return ls.length > MAX_SUBSTITUTED_LABELS ? ls.slice(0, MAX_SUBSTITUTED_LABELS) : ls;
    const out = ls.slice(0, i);
    for (; i < ls.length && out.length < MAX_SUBSTITUTED_LABELS; i++) {
      for (const x of this.label(ls[i]!)) out.push(x);
    }
    return out.length > MAX_SUBSTITUTED_LABELS ? out.slice(0, MAX_SUBSTITUTED_LABELS) : out;
  }

  /** One label of the callee: a source stays, a parameter origin becomes the argument's labels. */
  label(inner: Label): readonly Label[] {
    if (inner.origin.kind === 'source') return [inner];
    let out = this.substituted.get(inner);
    if (out) return out;
    const { index, field } = inner.origin;
    const step = this.callStep(index);
    out = this.actual(index, field).map((outer) => ({
      origin: outer.origin,
      cleared: outer.cleared | inner.cleared,
      flags: outer.flags | inner.flags,
      steps: concatSteps(outer.steps, step, inner.steps),
    }));
    this.substituted.set(inner, out);
    return out;
  }

  private callStep(index: number): Step | undefined {
    if (!this.callLoc) return undefined;
    let step = this.callSteps[index];
    if (!step) {
      const name = this.def.params[index]?.name ?? `#${index}`;
      step = { kind: 'call', loc: this.callLoc, message: `passed to parameter \`${name}\` of ${this.calleeName}` };
      this.callSteps[index] = step;
    }
    return step;
  }

  /** The labels a parameter origin stands for at this call site. */
  private actual(index: number, field: string | undefined): readonly Label[] {
    let byField = this.actuals[index];
    if (!byField) this.actuals[index] = byField = new Map();
    const key = field ?? '';
    let out = byField.get(key);
    if (!out) {
      out = this.computeActual(index, field);
      byField.set(key, out);
    }
    return out;
  }

  private computeActual(index: number, field: string | undefined): readonly Label[] {
    const v = this.paramValues[index];
    if (!v) return [];
    if (field) {
      const f = getField(v, field);
      if (f) return deepLabels(f);
      if (field.startsWith('a:') && v.type) {
        const src = this.engine.selfSource(v.type, field.slice(2), this.at, field.slice(2));
        if (src) return src.labels;
      }
      return mergeLabels(v.labels.map((l) => (l.origin.kind === 'param' && !l.origin.field ? { ...l, origin: { ...l.origin, field } } : l)), deepLabels(v.elems));
    }
    return deepLabels(v);
  }
}

const MAX_SUBSTITUTED_LABELS = 24;

function hasParamLabel(ls: readonly Label[]): boolean {
  for (const l of ls) if (l.origin.kind === 'param') return true;
  return false;
}

/** `[...a, step, ...b]` keeping the last MAX_STEPS steps. */
function concatSteps(a: readonly Step[], step: Step | undefined, b: readonly Step[]): Step[] {
  const total = a.length + (step ? 1 : 0) + b.length;
  let skip = total - MAX_STEPS;
  // Sized up front: growing by push left a trail of discarded backing stores (the engine builds
  // millions of these).
  const out: Step[] = new Array<Step>(Math.min(total, MAX_STEPS));
  let n = 0;
  for (const s of a) if (skip > 0) skip--; else out[n++] = s;
  if (step) {
    if (skip > 0) skip--;
    else out[n++] = step;
  }
  for (const s of b) if (skip > 0) skip--; else out[n++] = s;
  return out;
}

// ------------------------------------------------------------------ helpers

/** exprChain per node (null: no chain); a chain depends on the node alone. */
const chainCache = new WeakMap<Expr, string | null>();
const textCache = new WeakMap<Expr, { module: ModuleIR; text: string }>();

/** Source text of a span (columns count code points); the first line and "…" when it spans several. */
function spanText(lines: readonly string[], s: Span): string {
  if (s.startLine === s.endLine) return codePointSlice(lines[s.startLine - 1] ?? '', s.startColumn - 1, s.endColumn - 1);
  return `${codePointSlice(lines[s.startLine - 1] ?? '', s.startColumn - 1).trim()} …`;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** `[...line].slice(start, end).join('')` without splitting the line when no character needs two code units. */
function codePointSlice(line: string, start: number, end?: number): string {
  if (!SURROGATE.test(line)) return line.slice(start, end);
  return [...line].slice(start, end).join('');
}

function pickArg(args: EvaluatedArg[], ref: ArgRef): EvaluatedArg | undefined {
  if (typeof ref === 'string') return args.find((a) => a.arg.name === ref);
  let i = 0;
  for (const a of args) {
    if (a.arg.name || a.arg.spread === 2) continue;
    if (a.arg.spread === 1) return a; // *args may cover any position
    if (i === ref) return a;
    i++;
  }
  return undefined;
}

const SHELLS = /(^|[\\/])((ba|z|k|da|fi|c|tc)?sh|cmd(\.exe)?|powershell(\.exe)?|pwsh)$/;

/** Labels of a value's content, not of attributes set on it (a response's `headers` are not its body). */
function contentLabels(v: AbsValue): readonly Label[] {
  let out = v.labels;
  for (const [k, f] of v.fields ?? []) if (k.startsWith('k:')) out = mergeLabels(out, deepLabels(f));
  if (v.elems) out = mergeLabels(out, deepLabels(v.elems));
  return out;
}

/** Labels that can change a query document's structure: non-string values, `$where` code, keys. */
/** Attributes that hold an object's content: `secret.value` is still the secret, `secret.uuid` is not. */
const CONTENT_ATTRIBUTES = new Set(['value', 'data', 'text', 'plaintext', 'raw', 'payload', 'content', 'bytes', 'decode', 'encode', 'strip', 'get_value', 'get_secret_value']);

function isSensitiveLabel(l: Label): boolean {
  return l.origin.kind === 'source' && l.origin.sourceKind.startsWith('sensitive-');
}

function structureLabels(v: AbsValue, depth = 0, underWhere = false): readonly Label[] {
  if (depth > 6) return [];
  if (v.shape === 'str' || v.shape === 'number' || v.shape === 'bool') return underWhere ? deepLabels(v) : [];
  let out: readonly Label[] = v.shape === 'dict' || v.shape === 'list' || v.shape === 'tuple' ? [] : v.labels;
  for (const [k, f] of v.fields ?? []) {
    if (k === 'meta:keys') out = mergeLabels(out, deepLabels(f));
    else out = mergeLabels(out, structureLabels(f, depth + 1, underWhere || k === 'k:$where' || k === 'k:$function' || k === 'k:$accumulator'));
  }
  if (v.elems) out = mergeLabels(out, structureLabels(v.elems, depth + 1, underWhere));
  return out;
}

/** The program being run by a command: the string itself, or the first element of an argv list. */
function programPart(v: AbsValue): AbsValue {
  if (v.shape === 'list' || v.shape === 'tuple') {
    const first = getField(v, 'k:0');
    const flag = getField(v, 'k:1');
    // ["bash", "-c", script]: the script is a shell command line.
    if (first?.hasConst && typeof first.value === 'string' && SHELLS.test(first.value) && flag?.hasConst && (flag.value === '-c' || flag.value === '/c')) {
      return join(getField(v, 'k:2'), undefined);
    }
    if (first) return first;
    return v.elems ?? withLabels(v.labels);
  }
  return v;
}

function guardSubject(e: Expr): string | undefined {
  if (e.k === 'name') return e.id;
  if (e.k === 'call' && e.fn.k === 'attr' && ['strip', 'lower', 'upper', 'casefold', 'lstrip', 'rstrip'].includes(e.fn.name)) return guardSubject(e.fn.obj);
  return undefined;
}

function isConstantCollection(v: AbsValue): boolean {
  if (v.hasConst) return typeof v.value === 'string';
  if (!v.shape || !['list', 'tuple', 'set', 'dict'].includes(v.shape)) return false;
  for (const f of v.fields?.values() ?? []) if (!f.hasConst) return false;
  if (v.elems && !v.elems.hasConst && isTainted(v.elems)) return false;
  return true;
}

function constToStr(v: import('../../ir/types.js').ConstValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

function isDeque(v: AbsValue): boolean {
  return v.type === 'collections.deque';
}

function listLength(v: AbsValue): number {
  let n = 0;
  for (const k of v.fields?.keys() ?? []) if (/^k:\d+$/.test(k)) n = Math.max(n, Number(k.slice(2)) + 1);
  return n;
}

function shiftOut(v: AbsValue, idx: number): AbsValue {
  const f = new Map<string, AbsValue>();
  for (const [k, x] of v.fields ?? []) {
    const m = /^k:(\d+)$/.exec(k);
    if (!m) f.set(k, x);
    else {
      const i = Number(m[1]);
      if (i < idx) f.set(k, x);
      else if (i > idx) f.set(`k:${i - 1}`, x);
    }
  }
  return { ...v, fields: f };
}

function joinIndexFields(v: AbsValue): AbsValue {
  let out: AbsValue = EMPTY;
  for (const [k, x] of v.fields ?? []) if (/^k:\d+$/.test(k)) out = join(out, x);
  return out;
}

function recvWithoutIndexFields(v: AbsValue): AbsValue {
  const f = new Map<string, AbsValue>();
  for (const [k, x] of v.fields ?? []) if (!/^k:\d+$/.test(k)) f.set(k, x);
  return { ...v, fields: f };
}

interface ParamLayout {
  /** Indexes (in def.params) of the positional parameters, in order. */
  positional: number[];
  vararg: number;
  kwarg: number;
  isStatic: boolean;
  /** How evidence names the callee. */
  calleeName: string;
}

const paramLayouts = new WeakMap<FunctionDef, ParamLayout>();

function paramLayout(def: FunctionDef): ParamLayout {
  let layout = paramLayouts.get(def);
  if (!layout) {
    const positional: number[] = [];
    def.params.forEach((p, i) => {
      if (p.kind === 'positional') positional.push(i);
    });
    layout = {
      positional,
      vararg: def.params.findIndex((p) => p.kind === 'vararg'),
      kwarg: def.params.findIndex((p) => p.kind === 'kwarg'),
      isStatic: isStaticMethod(def),
      calleeName: def.name === '<lambda>' ? 'a lambda' : `\`${def.name}\``,
    };
    paramLayouts.set(def, layout);
  }
  return layout;
}

function isStaticMethod(def: FunctionDef): boolean {
  return def.decorators.some((d) => d.k === 'name' && d.id === 'staticmethod');
}

/** Dataclass-style classes without __init__: fields bound from constructor arguments in declaration order. */
function syntheticInit(cls: import('../../ir/types.js').ClassDef): FunctionDef {
  const fields = cls.body.filter((s): s is Extract<Stmt, { k: 'assign' }> => s.k === 'assign' && s.targets.length === 1 && s.targets[0]!.k === 'name');
  const span = cls.span;
  const params: FunctionDef['params'] = [{ name: 'self', kind: 'positional', span }];
  const body: Stmt[] = [];
  for (const f of fields) {
    const name = (f.targets[0] as Extract<Expr, { k: 'name' }>).id;
    params.push({ name, kind: 'positional', span });
    body.push({ k: 'assign', targets: [{ k: 'attr', obj: { k: 'name', id: 'self', span }, name, span }], value: { k: 'name', id: name, span }, span });
  }
  return { name: '__init__', params, decorators: [], body, isAsync: false, isGenerator: false, span, headerSpan: span };
}

function carriedValueChanged(before: Env, after: Env, carried: ReadonlySet<string>): boolean {
  for (const name of carried) if (!indistinguishable(before.get(name), after.get(name))) return true;
  return false;
}

export function joinEnvs(a: Env, b: Env): Env {
  if (a === b) return new Map(a);
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, join(out.get(k), v));
  return out;
}

const localNamesCache = new WeakMap<FunctionDef, ReadonlySet<string>>();

/** collectLocalNames, once per function (the interpreter only reads the set). */
function localNamesOf(def: FunctionDef): ReadonlySet<string> {
  let names = localNamesCache.get(def);
  if (!names) {
    names = collectLocalNames(def);
    localNamesCache.set(def, names);
  }
  return names;
}

/** Names assigned anywhere in a function body (not in nested functions): Python's local scope rule. */
export function collectLocalNames(def: FunctionDef): Set<string> {
  const names = new Set<string>(def.params.map((p) => p.name));
  const target = (e: Expr): void => {
    if (e.k === 'name') names.add(e.id);
    else if (e.k === 'tuple' || e.k === 'list') e.elts.forEach(target);
    else if (e.k === 'star') target(e.value);
  };
  const visit = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      switch (s.k) {
        case 'assign': s.targets.forEach(target); break;
        case 'for': target(s.target); visit(s.body); visit(s.orelse); break;
        case 'while': visit(s.body); visit(s.orelse); break;
        case 'if': visit(s.body); visit(s.orelse); break;
        case 'with': for (const i of s.items) if (i.target) target(i.target); visit(s.body); break;
        case 'try': visit(s.body); for (const h of s.handlers) { if (h.name) names.add(h.name); visit(h.body); } visit(s.orelse); visit(s.finalbody); break;
        case 'funcdef': names.add(s.fn.name); break;
        case 'classdef': names.add(s.cls.name); break;
        case 'import': for (const b of s.bindings) if (b.local !== '*') names.add(b.local); break;
        case 'match': for (const c of s.cases) { c.captures.forEach((n) => names.add(n)); visit(c.body); } break;
        default: break;
      }
    }
  };
  visit(def.body);
  return names;
}
