/** Abstract values of the taint interpreter: taint labels, constants, container and object structure. */
import type { ConstValue, FunctionDef } from '../../ir/types.js';

export interface Loc {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Step {
  kind: 'source' | 'step' | 'call' | 'return' | 'sink' | 'guard';
  loc: Loc;
  message: string;
}

/** Where tainted data comes from: a concrete source, or (inside a summary) a parameter of the function. */
export type Origin =
  | { kind: 'source'; sourceKind: string; description: string; loc: Loc }
  | { kind: 'param'; index: number; field?: string };

export interface Label {
  origin: Origin;
  /** Bitmask of sink kinds this data has been sanitised for. */
  cleared: number;
  /** Bitmask of LabelFlag. */
  flags: number;
  /** Evidence from the origin to here (bounded). */
  steps: readonly Step[];
}

export const LabelFlag = {
  /** Passed through os.path.realpath/abspath/normpath: a prefix check afterwards is meaningful. */
  normalizedPath: 1,
  /** Passed through a prefix (startswith) check without normalisation. */
  prefixChecked: 2,
  /** Appended after a constant that fixes the URL's host or makes it a local path ("/users/" + x). */
  fixedUrlPrefix: 4,
} as const;

export const MAX_STEPS = 14;

export function originKey(o: Origin): string {
  return o.kind === 'source'
    ? `s:${o.sourceKind}:${o.loc.file}:${o.loc.line}:${o.loc.column}:${o.description}`
    : `p:${o.index}:${o.field ?? ''}`;
}

const KEY = Symbol('labelKey');
const ORIGIN_KEY = Symbol('originKey');

/** originKey, cached on the (immutable, widely shared) origin. */
function cachedOriginKey(o: Origin): string {
  const cached = (o as { [ORIGIN_KEY]?: string })[ORIGIN_KEY];
  if (cached !== undefined) return cached;
  const k = originKey(o);
  Object.defineProperty(o, ORIGIN_KEY, { value: k, enumerable: false });
  return k;
}

/**
 * labelKey(a) === labelKey(b) without building keys: the key ends in two numbers, so it is equal
 * exactly when the origin keys and both numbers are.
 */
function sameLabel(a: Label, b: Label): boolean {
  return a.cleared === b.cleared && a.flags === b.flags && (a.origin === b.origin || cachedOriginKey(a.origin) === cachedOriginKey(b.origin));
}

/** Identity of a label for set semantics (evidence steps do not count); cached on the immutable label. */
export function labelKey(l: Label): string {
  const cached = (l as { [KEY]?: string })[KEY];
  if (cached !== undefined) return cached;
  const k = `${cachedOriginKey(l.origin)}|${l.cleared}|${l.flags}`;
  Object.defineProperty(l, KEY, { value: k, enumerable: false });
  return k;
}

/** A reference to a function the value may be (lambdas, nested defs, bound methods). */
export interface FunctionRef {
  qname: string;
  def: FunctionDef;
  /** Nested functions and lambdas capture their defining environment. */
  closure?: Map<string, AbsValue>;
  /** Bound receiver for `obj.method` values. */
  self?: AbsValue;
  className?: string;
}

export type Shape = 'str' | 'dict' | 'list' | 'tuple' | 'set' | 'number' | 'bool' | 'none' | 'object' | 'module' | 'strmap' | 'unknown';

export interface AbsValue {
  labels: readonly Label[];
  /** Known constant value (hasConst distinguishes a known `None`/`undefined`). */
  hasConst?: boolean;
  value?: ConstValue;
  /** Attributes ("a:name") and constant keys/indices ("k:key"). */
  fields?: ReadonlyMap<string, AbsValue>;
  /** Contents at unknown keys/indices. */
  elems?: AbsValue;
  /** Class qname (program or external) of an object built by a constructor call. */
  type?: string;
  /** The value is this global/external entity (module, function, class) by qualified name. */
  qname?: string;
  fns?: readonly FunctionRef[];
  shape?: Shape;
}

export const EMPTY: AbsValue = Object.freeze({ labels: [] });

export function constant(value: ConstValue): AbsValue {
  const shape: Shape =
    typeof value === 'string' ? 'str' : typeof value === 'boolean' ? 'bool' : value === null ? 'none' : 'number';
  return { labels: [], hasConst: true, value, shape };
}

/** Union of two label sets, keeping the first evidence seen; returns `a` itself when nothing is new. */
export function mergeLabels(a: readonly Label[], b: readonly Label[]): readonly Label[] {
  if (b.length === 0 || a === b) return a;
  if (a.length === 0) return b;
  let out: Label[] | undefined;
  next: for (const l of b) {
    const current = out ?? a;
    for (const x of current) if (x === l) continue next;
    for (const x of current) if (sameLabel(x, l)) continue next;
    (out ??= [...a]).push(l);
  }
  return out ?? a;
}

const MAX_LABELS = 24;
const MAX_FIELDS = 64;

function capLabels(ls: readonly Label[]): readonly Label[] {
  return ls.length > MAX_LABELS ? ls.slice(0, MAX_LABELS) : ls;
}

/** Least upper bound of two values (control-flow merge, unknown-key reads). */
export function join(a: AbsValue | undefined, b: AbsValue | undefined, depth = 0): AbsValue {
  if (!a || a === b) return b ?? EMPTY;
  if (!b) return a;
  const labels = capLabels(mergeLabels(a.labels, b.labels));
  const out: { -readonly [K in keyof AbsValue]: AbsValue[K] } = { labels };
  if (a.hasConst && b.hasConst && a.value === b.value) {
    out.hasConst = true;
    out.value = a.value;
  }
  if (depth < 4 && (a.fields || b.fields)) {
    const f = new Map<string, AbsValue>();
    for (const [k, v] of a.fields ?? []) f.set(k, v);
    for (const [k, v] of b.fields ?? []) f.set(k, join(f.get(k), v, depth + 1));
    if (f.size <= MAX_FIELDS) out.fields = f;
    else out.elems = join(out.elems, flattenFields(f), depth + 1);
  }
  if (a.elems || b.elems) out.elems = depth < 4 ? join(a.elems, b.elems, depth + 1) : { labels: mergeLabels(deepLabels(a.elems), deepLabels(b.elems)) };
  // Different classes on two paths: drop the type so method calls resolve to every candidate by name.
  if (a.type === b.type) out.type = a.type;
  else if (!a.type || !b.type) out.type = a.type ?? b.type;
  if (a.qname === b.qname) out.qname = a.qname;
  if (a.fns || b.fns) {
    const fns = [...(a.fns ?? [])];
    for (const f of b.fns ?? []) if (!fns.some((x) => x.qname === f.qname && x.def === f.def)) fns.push(f);
    out.fns = fns.slice(0, 8);
  }
  if (a.shape === b.shape) out.shape = a.shape;
  return out;
}

function flattenFields(f: ReadonlyMap<string, AbsValue>): AbsValue {
  let v: AbsValue = EMPTY;
  for (const x of f.values()) v = join(v, x);
  return v;
}

const deepCache = new WeakMap<AbsValue, readonly Label[]>();

/** All labels anywhere in the value: what a sink that consumes the whole value sees. */
export function deepLabels(v: AbsValue | undefined, depth = 0): readonly Label[] {
  if (!v) return [];
  if (!v.fields && !v.elems) return v.labels;
  if (depth === 0) {
    const cached = deepCache.get(v);
    if (cached) return cached;
    const computed = deepLabelsUncached(v, 0);
    deepCache.set(v, computed);
    return computed;
  }
  return deepLabelsUncached(v, depth);
}

function deepLabelsUncached(v: AbsValue, depth: number): readonly Label[] {
  let ls = v.labels;
  if (depth > 5) return ls;
  if (v.fields) for (const f of v.fields.values()) ls = mergeLabels(ls, deepLabels(f, depth + 1));
  if (v.elems) ls = mergeLabels(ls, deepLabels(v.elems, depth + 1));
  return capLabels(ls);
}

/** Same labels, structure dropped: the result of converting a value to a string or scalar. */
export function flatten(v: AbsValue): AbsValue {
  const ls = deepLabels(v);
  return ls.length ? { labels: ls } : EMPTY;
}

export function withLabels(labels: readonly Label[]): AbsValue {
  return labels.length ? { labels: capLabels(labels) } : EMPTY;
}

export function isTainted(v: AbsValue | undefined): boolean {
  return deepLabels(v).length > 0;
}

/**
 * A value without structure whose copies behave exactly like it: join(v, v) is v, and join(v, copy)
 * is equal to v (at most MAX_LABELS labels, a constant equal to itself). Returning it instead of a
 * copy changes no result.
 */
export function isShareable(v: AbsValue): boolean {
  return !v.fields && !v.elems && v.labels.length <= MAX_LABELS && !(v.hasConst && Number.isNaN(v.value));
}

export function mapLabels(v: AbsValue, fn: (l: Label) => Label | undefined, depth = 0): AbsValue {
  const labels = mapLabelList(v.labels, fn);
  if (labels === v.labels && isShareable(v)) return v;
  const out: { -readonly [K in keyof AbsValue]: AbsValue[K] } = { ...v, labels };
  if (depth < 6) {
    if (v.fields) {
      const f = new Map<string, AbsValue>();
      for (const [k, x] of v.fields) f.set(k, mapLabels(x, fn, depth + 1));
      out.fields = f;
    }
    if (v.elems) out.elems = mapLabels(v.elems, fn, depth + 1);
  }
  return out;
}

/** ls.map(fn) without the undefined results; `ls` itself when fn changes nothing. */
function mapLabelList(ls: readonly Label[], fn: (l: Label) => Label | undefined): readonly Label[] {
  let out: Label[] | undefined;
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i]!;
    const m = fn(l);
    if (out) {
      if (m) out.push(m);
    } else if (m !== l) {
      out = ls.slice(0, i);
      if (m) out.push(m);
    }
  }
  return out ?? ls;
}

export function addStep(l: Label, step: Step): Label {
  if (l.steps.length >= MAX_STEPS) return l;
  const last = l.steps[l.steps.length - 1];
  if (last && last.loc.line === step.loc.line && last.loc.file === step.loc.file && last.kind === step.kind) return l;
  return { ...l, steps: [...l.steps, step] };
}

export function valueWithStep(v: AbsValue, step: Step): AbsValue {
  if (!isTainted(v)) return v;
  return mapLabels(v, (l) => addStep(l, step));
}

export function getField(v: AbsValue | undefined, key: string): AbsValue | undefined {
  return v?.fields?.get(key);
}

export function setField(v: AbsValue, key: string, value: AbsValue): AbsValue {
  const f = new Map(v.fields ?? []);
  f.set(key, value);
  return { ...v, fields: f, hasConst: false, value: undefined };
}

export function valuesEqual(a: AbsValue | undefined, b: AbsValue | undefined, depth = 0): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a.labels.length !== b.labels.length) return false;
  const ka = new Set(a.labels.map(labelKey));
  for (const l of b.labels) if (!ka.has(labelKey(l))) return false;
  if (!!a.hasConst !== !!b.hasConst || a.value !== b.value || a.type !== b.type || a.shape !== b.shape) return false;
  if (depth > 4) return true;
  if ((a.fields?.size ?? 0) !== (b.fields?.size ?? 0)) return false;
  for (const [k, v] of a.fields ?? []) if (!valuesEqual(v, b.fields?.get(k), depth + 1)) return false;
  return valuesEqual(a.elems ?? EMPTY, b.elems ?? EMPTY, depth + 1);
}

/**
 * Equality that nothing the interpreter does can tell apart: every property compared, at any depth
 * (labels as sets by labelKey, as all label sets are treated). Stricter than valuesEqual, which
 * stops at depth 4 and ignores entities and function references because summaries do not hold them.
 */
export function indistinguishable(a: AbsValue | undefined, b: AbsValue | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (!!a.hasConst !== !!b.hasConst || !Object.is(a.value, b.value) || a.type !== b.type || a.shape !== b.shape || a.qname !== b.qname) return false;
  if (a.labels.length !== b.labels.length || !a.labels.every((l) => b.labels.some((m) => sameLabel(l, m)))) return false;
  if (a.fns !== b.fns) {
    if (!a.fns || !b.fns || a.fns.length !== b.fns.length) return false;
    for (let i = 0; i < a.fns.length; i++) {
      const f = a.fns[i]!;
      const g = b.fns[i]!;
      if (f !== g && (f.qname !== g.qname || f.def !== g.def || f.closure !== g.closure || f.className !== g.className || !indistinguishable(f.self, g.self))) return false;
    }
  }
  if (a.fields !== b.fields) {
    if (!a.fields || !b.fields || a.fields.size !== b.fields.size) return false;
    for (const [k, v] of a.fields) if (!indistinguishable(v, b.fields.get(k))) return false;
  }
  return indistinguishable(a.elems, b.elems);
}
