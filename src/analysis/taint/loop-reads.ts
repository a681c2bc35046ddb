/**
 * Which variables a loop carries from one iteration to the next, so the interpreter can skip its
 * second pass over a loop body when none of them changed in the first.
 *
 * The interpreter runs a loop body twice (the second pass sees values from the end of the first) and
 * nested loops multiply that. A second pass can only differ from the first through a variable the
 * body reads before it assigns it in the same iteration. A name is *carried* unless its first
 * mention in the body is as the target of an unconditional top-level `name = ...` (or the loop's
 * own `for` target); every other mention counts as a read, so the analysis errs towards running
 * the second pass. It is sound only for functions whose variables are read syntactically in the
 * body: no nested functions or lambdas (closures read the environment when called), no `global`
 * (other functions read the module environment) and no `match` (patterns read names this walker
 * does not visit); `stableLoopsApply` says whether a function qualifies.
 */
import type { Expr, FunctionDef, Stmt } from '../../ir/types.js';
import { forEachChildExpr, forEachStmtChild } from '../rule-context.js';

type LoopStmt = Extract<Stmt, { k: 'for' | 'while' }>;

const carriedCache = new WeakMap<LoopStmt, ReadonlySet<string>>();
const qualifies = new WeakMap<FunctionDef, boolean>();

/** Names the loop body may read before assigning them in the same iteration. */
export function loopCarriedNames(loop: LoopStmt): ReadonlySet<string> {
  let carried = carriedCache.get(loop);
  if (!carried) {
    carried = computeCarried(loop);
    carriedCache.set(loop, carried);
  }
  return carried;
}

/** Whether every read of a variable in `def` is visible to loopCarriedNames (see the module comment). */
export function stableLoopsApply(def: FunctionDef): boolean {
  let ok = qualifies.get(def);
  if (ok === undefined) {
    ok = !def.body.some(hasHiddenReads);
    qualifies.set(def, ok);
  }
  return ok;
}

function computeCarried(loop: LoopStmt): ReadonlySet<string> {
  const carried = new Set<string>();
  const assigned = new Set<string>();
  const read = (e: Expr): void => {
    if (e.k === 'name' && !assigned.has(e.id)) carried.add(e.id);
    forEachChildExpr(e, read);
  };
  const readBlock = (b: Stmt[]): void => {
    for (const s of b) forEachStmtChild(s, read, readBlock);
  };
  if (loop.k === 'while') read(loop.test); // refined at the start of every iteration
  else if (!addPureTargets(loop.target, assigned)) read(loop.target);
  for (const s of loop.body) {
    if (s.k === 'assign' && !s.op) {
      read(s.value);
      const targets = new Set<string>();
      if (s.targets.every((t) => addPureTargets(t, targets))) for (const t of targets) assigned.add(t);
      else s.targets.forEach(read);
    } else {
      forEachStmtChild(s, read, readBlock);
    }
  }
  return carried;
}

/** Adds the names a target binds when it is made of names only (`x`, `a, b`, `[a, *rest]`); false otherwise. */
function addPureTargets(t: Expr, out: Set<string>): boolean {
  if (t.k === 'name') {
    out.add(t.id);
    return true;
  }
  if (t.k === 'tuple' || t.k === 'list') return t.elts.every((e) => addPureTargets(e, out));
  if (t.k === 'star') return addPureTargets(t.value, out);
  return false;
}

function hasHiddenReads(s: Stmt): boolean {
  if (s.k === 'funcdef' || s.k === 'classdef' || s.k === 'global' || s.k === 'match') return true;
  let found = false;
  const expr = (e: Expr): void => {
    if (found) return;
    if (e.k === 'lambda') {
      found = true;
      return;
    }
    forEachChildExpr(e, expr);
  };
  const block = (b: Stmt[]): void => {
    for (const x of b) if (!found && hasHiddenReads(x)) found = true;
  };
  forEachStmtChild(s, expr, block);
  return found;
}
