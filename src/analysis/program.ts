/**
 * The whole program: every module's IR, its top-level bindings, and resolution of dotted names
 * through imports, aliases, relative imports and package re-exports.
 */
import type { ClassDef, FunctionDef, ImportBinding, ModuleIR, Stmt } from '../ir/types.js';
import { absoluteImportModule } from '../ir/imports.js';

export type Binding =
  | { kind: 'module'; qname: string }
  | { kind: 'import'; qname: string }
  | { kind: 'function'; qname: string; def: FunctionDef; module: ModuleIR }
  | { kind: 'class'; qname: string; def: ClassDef; module: ModuleIR }
  | { kind: 'variable'; qname: string };

export type Symbol =
  | { kind: 'module'; qname: string; module: ModuleIR }
  | { kind: 'function'; qname: string; def: FunctionDef; module: ModuleIR; className?: string }
  | { kind: 'class'; qname: string; def: ClassDef; module: ModuleIR }
  | { kind: 'variable'; qname: string; module: ModuleIR; name: string };

export class ModuleScope {
  readonly bindings = new Map<string, Binding>();
  /** Modules whose names are star-imported, in order. */
  readonly starImports: string[] = [];
  /** Memo of Program.lookupGlobal and of name resolution (null: unbound); the program never changes once built. */
  readonly globalCache = new Map<string, Binding | null>();
  readonly nameCache = new Map<string, string | null>();
  constructor(readonly module: ModuleIR) {}
}

export { absoluteImportModule } from '../ir/imports.js';

const MAX_RESOLVE_DEPTH = 12;

export class Program {
  readonly modules = new Map<string, ModuleIR>();
  readonly scopes = new Map<string, ModuleScope>();
  /** Dotted suffix -> module names ending with it (so `myapp.db` finds `src.myapp.db`). */
  private readonly suffixIndex = new Map<string, string[]>();
  /** Class qname -> its definition; method qname `Class.m` resolution uses it. */
  readonly classes = new Map<string, { def: ClassDef; module: ModuleIR }>();
  readonly functions = new Map<string, { def: FunctionDef; module: ModuleIR; className?: string }>();
  /** Method name -> qnames of program methods with that name (by-name call resolution). */
  readonly methodsByName = new Map<string, string[]>();
  /** Class qname -> subclass qnames. */
  readonly subclasses = new Map<string, string[]>();

  constructor(modules: ModuleIR[]) {
    const sorted = [...modules].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    for (const m of sorted) {
      if (!this.modules.has(m.name)) this.modules.set(m.name, m);
    }
    for (const name of this.modules.keys()) {
      const parts = name.split('.');
      for (let i = 0; i < parts.length; i++) {
        const suffix = parts.slice(i).join('.');
        const list = this.suffixIndex.get(suffix) ?? [];
        list.push(name);
        this.suffixIndex.set(suffix, list);
      }
    }
    for (const m of this.modules.values()) this.scopes.set(m.name, this.buildScope(m));
    for (const [cq, c] of this.classes) {
      for (const base of c.def.bases) {
        const bq = this.resolveExprName(c.module, base);
        if (!bq) continue;
        const sym = this.resolveSymbol(bq);
        const key = sym?.kind === 'class' ? sym.qname : bq;
        const list = this.subclasses.get(key) ?? [];
        list.push(cq);
        this.subclasses.set(key, list);
      }
    }
  }

  /** The program module a dotted module path refers to, trying exact names then suffixes. */
  findModule(dotted: string): ModuleIR | undefined {
    const exact = this.modules.get(dotted);
    if (exact) return exact;
    const candidates = this.suffixIndex.get(dotted);
    if (!candidates || candidates.length === 0) return undefined;
    // Prefer the shortest (closest to a root) module name; ties by name for determinism.
    const best = [...candidates].sort((a, b) => a.length - b.length || (a < b ? -1 : 1))[0]!;
    return this.modules.get(best);
  }

  private buildScope(m: ModuleIR): ModuleScope {
    const scope = new ModuleScope(m);
    const visit = (stmts: Stmt[]): void => {
      for (const s of stmts) {
        switch (s.k) {
          case 'import':
            for (const b of s.bindings) this.bindImport(scope, m, b);
            break;
          case 'funcdef': {
            const qname = `${m.name}.${s.fn.name}`;
            scope.bindings.set(s.fn.name, { kind: 'function', qname, def: s.fn, module: m });
            this.functions.set(qname, { def: s.fn, module: m });
            break;
          }
          case 'classdef': {
            const qname = `${m.name}.${s.cls.name}`;
            scope.bindings.set(s.cls.name, { kind: 'class', qname, def: s.cls, module: m });
            this.registerClass(qname, s.cls, m);
            break;
          }
          case 'assign':
            for (const t of s.targets) {
              if (t.k === 'name' && !scope.bindings.has(t.id)) scope.bindings.set(t.id, { kind: 'variable', qname: `${m.name}.${t.id}` });
            }
            break;
          // Conditional definitions (try/except ImportError, if TYPE_CHECKING) still bind names.
          case 'if':
            visit(s.body);
            visit(s.orelse);
            break;
          case 'try':
            visit(s.body);
            for (const h of s.handlers) visit(h.body);
            visit(s.orelse);
            visit(s.finalbody);
            break;
          case 'with':
            visit(s.body);
            break;
          default:
            break;
        }
      }
    };
    visit(m.body);
    return scope;
  }

  private registerClass(qname: string, cls: ClassDef, m: ModuleIR): void {
    this.classes.set(qname, { def: cls, module: m });
    for (const s of cls.body) {
      if (s.k === 'funcdef') {
        const mq = `${qname}.${s.fn.name}`;
        this.functions.set(mq, { def: s.fn, module: m, className: qname });
        const list = this.methodsByName.get(s.fn.name) ?? [];
        list.push(mq);
        this.methodsByName.set(s.fn.name, list);
      } else if (s.k === 'classdef') {
        this.registerClass(`${qname}.${s.cls.name}`, s.cls, m);
      }
    }
  }

  private bindImport(scope: ModuleScope, m: ModuleIR, b: ImportBinding): void {
    const mod = absoluteImportModule(m, b);
    if (b.local === '*') {
      scope.starImports.push(mod);
      return;
    }
    if (b.member === undefined) {
      // `import a.b.c` binds `a`; `import a.b as x` binds x to a.b.
      scope.bindings.set(b.local, { kind: 'module', qname: b.aliased || !mod.includes('.') ? mod : b.local });
      return;
    }
    scope.bindings.set(b.local, { kind: 'import', qname: mod ? `${mod}.${b.member}` : b.member });
  }

  /** Qualified name a module-level name refers to in module m (imports followed one step). */
  lookupGlobal(m: ModuleIR, name: string): Binding | undefined {
    const scope = this.scopes.get(m.name);
    if (!scope) return undefined;
    const cached = scope.globalCache.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const b = scope.bindings.get(name) ?? this.lookupStar(scope, name, 0);
    scope.globalCache.set(name, b ?? null);
    return b;
  }

  /** Names brought in by `from m import *`, followed through chains of star imports. */
  private lookupStar(scope: ModuleScope | undefined, name: string, depth: number): Binding | undefined {
    if (!scope || depth > MAX_RESOLVE_DEPTH) return undefined;
    for (const star of scope.starImports) {
      // An external star import could define the name too; we cannot tell, so it binds nothing.
      const target = this.findModule(star);
      if (!target) continue;
      const innerScope = this.scopes.get(target.name);
      const inner = innerScope?.bindings.get(name) ?? this.lookupStar(innerScope, name, depth + 1);
      if (inner) return inner;
    }
    return undefined;
  }

  /** Resolves a name/attribute chain at module level to a dotted qualified name. */
  resolveExprName(m: ModuleIR, e: import('../ir/types.js').Expr): string | undefined {
    if (e.k === 'name') return this.resolveGlobalName(m, e.id);
    if (e.k === 'attr') {
      const base = this.resolveExprName(m, e.obj);
      return base ? this.member(base, e.name) : undefined;
    }
    return undefined;
  }

  /** `resolveExprName` of a chain given as text (`os.path.join`; see ir/facts.ts). */
  resolveDotted(m: ModuleIR, chain: string): string | undefined {
    let dot = chain.indexOf('.');
    let q = this.resolveGlobalName(m, dot < 0 ? chain : chain.slice(0, dot));
    while (q !== undefined && dot >= 0) {
      const next = chain.indexOf('.', dot + 1);
      q = this.member(q, next < 0 ? chain.slice(dot + 1) : chain.slice(dot + 1, next));
      dot = next;
    }
    return q;
  }

  private resolveGlobalName(m: ModuleIR, name: string): string | undefined {
    const scope = this.scopes.get(m.name);
    const cached = scope?.nameCache.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const b = this.lookupGlobal(m, name);
    const q = b ? b.qname : BUILTINS.has(name) ? `builtins.${name}` : undefined;
    scope?.nameCache.set(name, q ?? null);
    return q;
  }

  private readonly members = new Map<string, Map<string, string>>();

  /**
   * `${base}.${name}`, the same string object each time: qualified names are map keys all over the
   * engine, and a string that was hashed once is not hashed again.
   */
  member(base: string, name: string): string {
    let byName = this.members.get(base);
    if (!byName) {
      byName = new Map();
      this.members.set(base, byName);
    }
    let q = byName.get(name);
    if (q === undefined) {
      q = `${base}.${name}`;
      byName.set(name, q);
    }
    return q;
  }

  /**
   * Finds the program entity a qualified name denotes, following imports and package re-exports.
   * External names (e.g. `subprocess.run`) resolve to undefined.
   */
  private readonly symbolCache = new Map<string, Symbol | null>();

  resolveSymbol(qname: string, depth = 0): Symbol | undefined {
    if (depth === 0) {
      const cached = this.symbolCache.get(qname);
      if (cached !== undefined) return cached ?? undefined;
      const s = this.resolveSymbolUncached(qname, 0);
      this.symbolCache.set(qname, s ?? null);
      return s;
    }
    return this.resolveSymbolUncached(qname, depth);
  }

  private resolveSymbolUncached(qname: string, depth: number): Symbol | undefined {
    if (depth > MAX_RESOLVE_DEPTH) return undefined;
    const direct = this.functions.get(qname);
    if (direct) return { kind: 'function', qname, ...direct };
    const cls = this.classes.get(qname);
    if (cls) return { kind: 'class', qname, def: cls.def, module: cls.module };
    const parts = qname.split('.');
    // Longest prefix that names a program module.
    for (let i = parts.length; i >= 1; i--) {
      const mod = this.findModule(parts.slice(0, i).join('.'));
      if (!mod) continue;
      if (i === parts.length) return { kind: 'module', qname: mod.name, module: mod };
      const member = parts[i]!;
      const rest = parts.slice(i + 1);
      const b = this.lookupGlobal(mod, member);
      let memberQname: string | undefined;
      if (b) {
        if (b.kind === 'variable') {
          if (rest.length === 0) return { kind: 'variable', qname: b.qname, module: mod, name: member };
          return undefined;
        }
        memberQname = b.qname;
      } else {
        // A submodule not imported explicitly (`import pkg` then `pkg.sub.f`).
        memberQname = `${mod.name}.${member}`;
        if (!this.findModule(memberQname) && rest.length === 0) return undefined;
      }
      const full = [memberQname, ...rest].join('.');
      if (full === qname) return undefined;
      return this.resolveSymbol(full, depth + 1);
    }
    return undefined;
  }

  /** The canonical qualified name: program entities get their definition's name, externals stay as written. */
  canonical(qname: string): string {
    let c = this.canonicalCache.get(qname);
    if (c === undefined) {
      c = this.resolveSymbol(qname)?.qname ?? this.followReexports(qname, 0);
      this.canonicalCache.set(qname, c);
    }
    return c;
  }

  private readonly canonicalCache = new Map<string, string>();

  /** `pkg.helpers.esc` where pkg/helpers.py did `from ldap3.utils.conv import escape_filter_chars as esc`. */
  private followReexports(qname: string, depth: number): string {
    if (depth > MAX_RESOLVE_DEPTH) return qname;
    const parts = qname.split('.');
    for (let i = parts.length - 1; i >= 1; i--) {
      const mod = this.findModule(parts.slice(0, i).join('.'));
      if (!mod) continue;
      const b = this.lookupGlobal(mod, parts[i]!);
      if (!b || (b.kind !== 'import' && b.kind !== 'module')) return qname;
      const next = [b.qname, ...parts.slice(i + 1)].join('.');
      return next === qname ? qname : this.followReexports(next, depth + 1);
    }
    return qname;
  }

  /** Methods named `name` on class `cls` or its program base classes (MRO approximated depth-first). */
  findMethod(classQname: string, name: string, depth = 0): string | undefined {
    if (depth > 0) return this.findMethodUncached(classQname, name, depth);
    let byName = this.methodCache.get(classQname);
    if (!byName) {
      byName = new Map();
      this.methodCache.set(classQname, byName);
    }
    const cached = byName.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.findMethodUncached(classQname, name, 0);
    byName.set(name, found ?? null);
    return found;
  }

  private readonly methodCache = new Map<string, Map<string, string | null>>();

  private findMethodUncached(classQname: string, name: string, depth: number): string | undefined {
    if (depth > MAX_RESOLVE_DEPTH) return undefined;
    const direct = this.member(classQname, name);
    if (this.functions.has(direct)) return direct;
    const cls = this.classes.get(classQname);
    if (!cls) return undefined;
    for (const base of cls.def.bases) {
      const bq = this.resolveExprName(cls.module, base);
      if (!bq) continue;
      const sym = this.resolveSymbol(bq);
      if (sym?.kind === 'class') {
        const found = this.findMethod(sym.qname, name, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  /**
   * Qualified names of every ancestor of a class, inside the program or not
   * (e.g. http.server.BaseHTTPRequestHandler, whether or not the standard library is scanned too).
   */
  ancestors(classQname: string, depth = 0): string[] {
    const cls = this.classes.get(classQname);
    if (!cls || depth > MAX_RESOLVE_DEPTH) return [];
    const out: string[] = [];
    for (const base of cls.def.bases) {
      const bq = this.resolveExprName(cls.module, base);
      if (!bq) continue;
      const sym = this.resolveSymbol(bq);
      if (sym?.kind === 'class') out.push(sym.qname, ...this.ancestors(sym.qname, depth + 1));
      else out.push(bq);
    }
    return out;
  }
}

export const BUILTINS = new Set([
  'abs', 'all', 'any', 'ascii', 'bin', 'bool', 'bytearray', 'bytes', 'callable', 'chr', 'compile', 'complex', 'delattr',
  'dict', 'dir', 'divmod', 'enumerate', 'eval', 'exec', 'filter', 'float', 'format', 'frozenset', 'getattr', 'globals',
  'hasattr', 'hash', 'hex', 'id', 'input', 'int', 'isinstance', 'issubclass', 'iter', 'len', 'list', 'locals', 'map',
  'max', 'memoryview', 'min', 'next', 'object', 'oct', 'open', 'ord', 'pow', 'print', 'range', 'repr', 'reversed',
  'round', 'set', 'setattr', 'slice', 'sorted', 'str', 'sum', 'super', 'tuple', 'type', 'vars', 'zip', '__import__',
  'breakpoint', 'Exception', 'ValueError', 'TypeError', 'KeyError', 'RuntimeError', 'OSError', 'IOError',
]);
