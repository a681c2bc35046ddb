/**
 * Framework and library models as data: sources, sinks, sanitizers and guards read from YAML files
 * under models/<language>/. The engine knows no library by name; everything it knows is here.
 */
import { PairMemo } from './pair-memo.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export type ArgRef = number | string; // positional index (receiver excluded) or keyword name

export interface SinkCondition {
  /** The sink is active only when this argument is constant-truthy (e.g. shell=True). */
  truthy?: ArgRef[];
  /** The sink is inactive when this argument resolves to one of these qualified names (e.g. Loader=yaml.SafeLoader). */
  safeIf?: { arg: ArgRef[]; qnames: string[] };
  /** The sink is inactive when this argument is absent. */
  requires?: ArgRef[];
  /** Active only when the object passed as `arg` was built with `field` set to a truthy constant. */
  objectField?: { arg: ArgRef[]; field: string; equals: boolean; default: boolean };
  /** Inactive when the receiver was built by one of these classes (a sandboxed template environment). */
  receiverNotType?: string[];
  /** Inactive when the receiver is known to have one of these shapes (`"text".find(x)` is not a query). */
  receiverNotShape?: string[];
  /** Active only when the argument's source text matches (`"//user[@name='" + n + "']"` looks like XPath). */
  argText?: { arg: ArgRef[]; pattern: RegExp };
  /** Active only when the argument's abstract shape is one of these (a dict literal for a query filter). */
  argShape?: { arg: ArgRef[]; shapes: string[] };
  /** Active only when the receiver was configured (setFeature-style) with `key` truthy. */
  receiverConfig?: { key: string; default: boolean };
}

export interface SinkModel {
  patterns: string[];
  args: ArgRef[] | 'all';
  /**
   * `program`: only the program part of a command (a string, or the first element of a list).
   * `structure`: only values that can change a query's structure (non-string values, `$where`, keys).
   */
  part?: 'program' | 'structure';
  kind: string;
  when?: SinkCondition;
  description?: string;
}

export interface StoreSinkModel {
  /** Qualified name (or `*.attr`) of a container whose items/attributes are sinks when assigned. */
  patterns: string[];
  kind: string;
  /** Only assignments to this constant key (case-insensitive), e.g. `headers["Location"]`. */
  key?: string;
  description?: string;
}

export interface SourceModel {
  /** Qualified names whose value (and everything read from it) is untrusted. */
  patterns: string[];
  kind: string;
  description: string;
  /** `str`: a mapping whose values are always strings (query string, form, headers, cookies). */
  values?: 'str';
}

export interface SanitizerModel {
  patterns: string[];
  /** Sink kinds cleared, or 'all' (the result carries no taint). */
  clears: string[] | 'all';
  /** Label flags set (e.g. normalizedPath). */
  flags?: string[];
  /** Which argument carries the sanitised value (default: first positional, or the receiver for methods). */
  arg?: ArgRef;
  /** Applies only when this keyword argument names one of these qualified names (`.get("n", type=int)`). */
  whenKeyword?: { name: string; qnames: string[] };
  /** `data`: the result is structured data (json.loads), not a string. */
  result?: 'str' | 'data';
}

export interface FactoryModel {
  /** Functions that return instances of a class the models know (`logging.getLogger` -> `logging.Logger`). */
  patterns: string[];
  returns: string;
}

export interface TypedParamModel {
  name?: string;
  annotation?: string[];
  type: string;
}

export interface SelfSourceModel {
  /** External base class qnames; methods of subclasses read untrusted data from these self attributes. */
  bases: string[];
  attrs: string[];
  kind: string;
  description: string;
}

export interface RouteModel {
  /** Decorator attribute names (`@app.route`, `@router.get`) that make a function a request handler. */
  decorators: string[];
  /** Decorator qnames prefixes excluded (e.g. `functools`). */
  kind: string;
  /** Whether the handler's return value is rendered as HTML (Flask: strings are text/html). */
  returnIsHtml: boolean;
  /** Parameter annotations that are not request data (FastAPI Depends/Request, ints...). */
  cleanAnnotations: string[];
}

export interface ConfigMethodModel {
  /** `parser.setFeature(KEY, VALUE)`: records KEY=VALUE on the receiver. */
  patterns: string[];
}

export interface GuardModel {
  /** Predicates (`url_has_allowed_host_and_scheme(x, ...)`) that make their argument safe on the true branch. */
  patterns: string[];
  clears: string[] | 'all';
  arg?: ArgRef;
}

export interface NoReturnModel {
  patterns: string[];
}

export interface Models {
  sources: SourceModel[];
  sinks: SinkModel[];
  storeSinks: StoreSinkModel[];
  sanitizers: SanitizerModel[];
  typedParams: TypedParamModel[];
  selfSources: SelfSourceModel[];
  routes: RouteModel[];
  configMethods: ConfigMethodModel[];
  noReturn: NoReturnModel[];
  guards: GuardModel[];
  factories: FactoryModel[];
  /** Calls whose result never carries taint (len, isinstance, bool-returning predicates). */
  cleanCalls: string[];
  files: string[];
}

export class ModelError extends Error {}

function asList(v: unknown): unknown[] {
  return v == null ? [] : Array.isArray(v) ? v : [v];
}
function strings(v: unknown, where: string): string[] {
  const list = asList(v);
  for (const x of list) if (typeof x !== 'string') throw new ModelError(`${where}: expected strings, got ${JSON.stringify(x)}`);
  return list as string[];
}
function argRefs(v: unknown, where: string): ArgRef[] {
  const list = asList(v);
  for (const x of list) if (typeof x !== 'string' && typeof x !== 'number') throw new ModelError(`${where}: expected argument index or keyword, got ${JSON.stringify(x)}`);
  return list as ArgRef[];
}

const KNOWN_SECTIONS = new Set(['name', 'description', 'sources', 'sinks', 'store-sinks', 'sanitizers', 'typed-params', 'self-sources', 'routes', 'config-methods', 'no-return', 'clean-calls', 'guards', 'factories']);

export function parseModelFile(text: string, file: string): Partial<Models> {
  let doc: Record<string, unknown>;
  try {
    doc = (parseYaml(text) ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw new ModelError(`${file}: invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ModelError(`${file}: expected a mapping at top level`);
  for (const k of Object.keys(doc)) if (!KNOWN_SECTIONS.has(k)) throw new ModelError(`${file}: unknown section '${k}'`);
  const at = (section: string, i: number) => `${file}: ${section}[${i}]`;
  const out: Partial<Models> = {};
  out.sources = asList(doc['sources']).map((raw, i) => {
    const r = raw as Record<string, unknown>;
    return {
      patterns: strings(r['access'], at('sources', i)),
      kind: String(r['kind'] ?? 'remote'),
      description: String(r['description'] ?? ''),
      values: r['values'] === 'str' ? 'str' : undefined,
    };
  });
  out.sinks = asList(doc['sinks']).map((raw, i) => {
    const r = raw as Record<string, unknown>;
    if (!r['kind']) throw new ModelError(`${at('sinks', i)}: missing kind`);
    const when = r['when'] as Record<string, unknown> | undefined;
    const cond: SinkCondition | undefined = when
      ? {
          truthy: when['truthy'] !== undefined ? argRefs(when['truthy'], at('sinks', i)) : undefined,
          requires: when['requires'] !== undefined ? argRefs(when['requires'], at('sinks', i)) : undefined,
          safeIf: when['safe-if']
            ? {
                arg: argRefs((when['safe-if'] as Record<string, unknown>)['arg'], at('sinks', i)),
                qnames: strings((when['safe-if'] as Record<string, unknown>)['qnames'], at('sinks', i)),
              }
            : undefined,
          objectField: when['object-field']
            ? {
                arg: argRefs((when['object-field'] as Record<string, unknown>)['arg'], at('sinks', i)),
                field: String((when['object-field'] as Record<string, unknown>)['field']),
                equals: Boolean((when['object-field'] as Record<string, unknown>)['equals'] ?? true),
                default: Boolean((when['object-field'] as Record<string, unknown>)['default'] ?? false),
              }
            : undefined,
          receiverNotType: when['receiver-not-type'] ? strings(when['receiver-not-type'], at('sinks', i)) : undefined,
          receiverNotShape: when['receiver-not-shape'] ? strings(when['receiver-not-shape'], at('sinks', i)) : undefined,
          argText: when['arg-text']
            ? {
                arg: argRefs((when['arg-text'] as Record<string, unknown>)['arg'], at('sinks', i)),
                pattern: new RegExp(String((when['arg-text'] as Record<string, unknown>)['pattern'])),
              }
            : undefined,
          argShape: when['arg-shape']
            ? {
                arg: argRefs((when['arg-shape'] as Record<string, unknown>)['arg'], at('sinks', i)),
                shapes: strings((when['arg-shape'] as Record<string, unknown>)['shapes'], at('sinks', i)),
              }
            : undefined,
          receiverConfig: when['receiver-config']
            ? {
                key: String((when['receiver-config'] as Record<string, unknown>)['key']),
                default: Boolean((when['receiver-config'] as Record<string, unknown>)['default'] ?? false),
              }
            : undefined,
        }
      : undefined;
    return {
      patterns: strings(r['call'], at('sinks', i)),
      args: r['args'] === 'all' ? 'all' : argRefs(r['args'] ?? [0], at('sinks', i)),
      part: r['part'] === 'program' || r['part'] === 'structure' ? r['part'] : undefined,
      kind: String(r['kind']),
      when: cond,
      description: r['description'] ? String(r['description']) : undefined,
    } satisfies SinkModel;
  });
  out.storeSinks = asList(doc['store-sinks']).map((raw, i) => {
    const r = raw as Record<string, unknown>;
    return {
      patterns: strings(r['store'], at('store-sinks', i)),
      kind: String(r['kind']),
      key: r['key'] !== undefined ? String(r['key']) : undefined,
      description: r['description'] ? String(r['description']) : undefined,
    };
  });
  out.sanitizers = asList(doc['sanitizers']).map((raw, i) => {
    const r = raw as Record<string, unknown>;
    const clears = r['clears'] === 'all' ? 'all' : strings(r['clears'] ?? [], at('sanitizers', i));
    const wk = r['when-keyword'] as Record<string, unknown> | undefined;
    const wkName = wk ? Object.keys(wk)[0] : undefined;
    return {
      patterns: strings(r['call'], at('sanitizers', i)),
      clears,
      flags: r['flags'] ? strings(r['flags'], at('sanitizers', i)) : undefined,
      arg: r['arg'] as ArgRef | undefined,
      whenKeyword: wk && wkName ? { name: wkName, qnames: strings(wk[wkName], at('sanitizers', i)) } : undefined,
      result: r['result'] === 'data' ? 'data' : undefined,
    };
  });
  out.typedParams = asList(doc['typed-params']).map((raw) => {
    const r = raw as Record<string, unknown>;
    return { name: r['name'] ? String(r['name']) : undefined, annotation: r['annotation'] ? strings(r['annotation'], file) : undefined, type: String(r['type']) };
  });
  out.selfSources = asList(doc['self-sources']).map((raw, i) => {
    const r = raw as Record<string, unknown>;
    return { bases: strings(r['bases'], at('self-sources', i)), attrs: strings(r['attrs'], at('self-sources', i)), kind: String(r['kind'] ?? 'remote'), description: String(r['description'] ?? '') };
  });
  out.routes = asList(doc['routes']).map((raw, i) => {
    const r = raw as Record<string, unknown>;
    return {
      decorators: strings(r['decorators'], at('routes', i)),
      kind: String(r['kind'] ?? 'remote'),
      returnIsHtml: Boolean(r['return-is-html'] ?? false),
      cleanAnnotations: strings(r['clean-annotations'] ?? [], at('routes', i)),
    };
  });
  out.configMethods = asList(doc['config-methods']).map((raw, i) => ({ patterns: strings((raw as Record<string, unknown>)['call'], at('config-methods', i)) }));
  out.noReturn = asList(doc['no-return']).map((raw, i) => ({ patterns: strings((raw as Record<string, unknown>)['call'], at('no-return', i)) }));
  out.guards = asList(doc['guards']).map((raw, i) => {
    const r = raw as Record<string, unknown>;
    return { patterns: strings(r['call'], at('guards', i)), clears: r['clears'] === 'all' ? 'all' : strings(r['clears'] ?? [], at('guards', i)), arg: r['arg'] as ArgRef | undefined };
  });
  out.factories = asList(doc['factories']).map((raw, i) => {
    const r = raw as Record<string, unknown>;
    return { patterns: strings(r['call'], at('factories', i)), returns: String(r['returns']) };
  });
  out.cleanCalls = strings(doc['clean-calls'] ?? [], `${file}: clean-calls`);
  return out;
}

export function emptyModels(): Models {
  return { sources: [], sinks: [], storeSinks: [], sanitizers: [], typedParams: [], selfSources: [], routes: [], configMethods: [], noReturn: [], guards: [], factories: [], cleanCalls: [], files: [] };
}

export function mergeModels(into: Models, part: Partial<Models>, file: string): Models {
  into.sources.push(...(part.sources ?? []));
  into.sinks.push(...(part.sinks ?? []));
  into.storeSinks.push(...(part.storeSinks ?? []));
  into.sanitizers.push(...(part.sanitizers ?? []));
  into.typedParams.push(...(part.typedParams ?? []));
  into.selfSources.push(...(part.selfSources ?? []));
  into.routes.push(...(part.routes ?? []));
  into.configMethods.push(...(part.configMethods ?? []));
  into.noReturn.push(...(part.noReturn ?? []));
  into.guards.push(...(part.guards ?? []));
  into.factories.push(...(part.factories ?? []));
  into.cleanCalls.push(...(part.cleanCalls ?? []));
  into.files.push(file);
  return into;
}

export function builtinModelDir(language: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // dist/src/analysis/taint -> repo root
  return join(here, '..', '..', '..', '..', 'models', language);
}

/** Loads the bundled models for a language plus extra model files (config `models:`). */
export function loadModels(language: string, extraFiles: string[] = []): Models {
  const dir = builtinModelDir(language);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
  const models = emptyModels();
  for (const f of [...files, ...extraFiles]) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      throw new ModelError(`model file ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    mergeModels(models, parseModelFile(text, f), f);
  }
  return models;
}

/**
 * Matches a callee against model patterns. `qname` is the resolved qualified name when known;
 * `chain` is the textual dotted chain as written (`self.db.cursor.execute`). Pattern forms:
 * `a.b.c` exact qualified name; `*.m` any call of a method named m; `*.x.m` a chain ending in x.m;
 * `a.b.*` any member of a.b.
 */
export function matchesPattern(pattern: string, qname: string | undefined, chain: string | undefined): boolean {
  if (pattern.startsWith('*.')) {
    // Method patterns match the chain as written; calls of module functions pass no chain.
    const tail = pattern.slice(1); // ".m" or ".x.m"
    return !!chain && `.${chain}`.endsWith(tail);
  }
  if (pattern.endsWith('.*')) {
    const head = pattern.slice(0, -1);
    return !!qname && qname.startsWith(head);
  }
  return qname === pattern;
}

/**
 * Model lookup indexed by pattern form: exact qualified names in a map, `*.m` patterns by their
 * last name, `a.b.*` prefixes in a short list. Results are cached per (qname, chain).
 */
class ModelIndex<T extends { patterns: string[] }> {
  private readonly exact = new Map<string, T[]>();
  /** `*.x.m` by m; the chain matches when `.${chain}` ends with tail (".x.m"). */
  private readonly byMethod = new Map<string, Array<{ model: T; tail: string }>>();
  /** `a.b.*`: the qname matches when it starts with head ("a.b."). */
  private readonly prefixes: Array<{ model: T; head: string }> = [];
  /** qname ('' when unknown) -> chain ('' when unknown) -> matches. */
  private readonly cache = new PairMemo<T[]>(50_000);

  constructor(private readonly list: T[]) {
    for (const m of list) {
      for (const p of m.patterns) {
        if (p.startsWith('*.')) {
          const last = p.slice(p.lastIndexOf('.') + 1);
          const l = this.byMethod.get(last) ?? [];
          l.push({ model: m, tail: p.slice(1) });
          this.byMethod.set(last, l);
        } else if (p.endsWith('.*')) this.prefixes.push({ model: m, head: p.slice(0, -1) });
        else {
          const l = this.exact.get(p) ?? [];
          l.push(m);
          this.exact.set(p, l);
        }
      }
    }
  }

  find(qname: string | undefined, chain: string | undefined): T[] {
    return this.cache.get(qname, chain, () => this.match(qname, chain));
  }

  /** matchesPattern over the indexed patterns, without allocating when nothing matches. */
  private match(qname: string | undefined, chain: string | undefined): T[] {
    let found: Set<T> | undefined;
    if (qname) for (const m of this.exact.get(qname) ?? []) (found ??= new Set()).add(m);
    if (chain) {
      for (const { model, tail } of this.byMethod.get(chain.slice(chain.lastIndexOf('.') + 1)) ?? []) {
        if (endsWithDotted(chain, tail)) (found ??= new Set()).add(model);
      }
    }
    if (qname) for (const { model, head } of this.prefixes) if (qname.startsWith(head)) (found ??= new Set()).add(model);
    // Keep the model files' order so results are deterministic.
    return found ? this.list.filter((m) => found.has(m)) : [];
  }
}

/** `.${chain}`.endsWith(tail) for a tail starting with "." (without building the string). */
function endsWithDotted(chain: string, tail: string): boolean {
  return chain.endsWith(tail) || (tail.length === chain.length + 1 && tail.endsWith(chain));
}

const indexes = new WeakMap<object, ModelIndex<{ patterns: string[] }>>();

export function findMatching<T extends { patterns: string[] }>(list: T[], qname: string | undefined, chain: string | undefined): T[] {
  let idx = indexes.get(list) as ModelIndex<T> | undefined;
  if (!idx) {
    idx = new ModelIndex(list);
    indexes.set(list, idx as unknown as ModelIndex<{ patterns: string[] }>);
  }
  return idx.find(qname, chain);
}
