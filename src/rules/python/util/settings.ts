/**
 * Framework settings written in code: `DEBUG = True` (Django settings, Flask config classes),
 * `app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)` / `from_mapping(...)`.
 */
import type { Expr, Span } from '../../../ir/types.js';
import type { RuleContext, ScopeInfo } from '../../types.js';
import { dottedName } from './ir.js';
import { callsWhere } from './calls.js';

export interface Setting {
  name: string;
  value: Expr;
  span: Span;
  scope: ScopeInfo;
  /** `NAME = value` at module or class level (as opposed to a config object). */
  bare: boolean;
}

/** Visits every setting assignment; `name` is the setting as written (case preserved). */
export function forEachSetting(ctx: RuleContext, visit: (s: Setting) => void): void {
  for (const s of ctx.memo(SETTINGS, () => collectSettings(ctx))) visit(s);
}

const SETTINGS = {};
const CONFIG_UPDATE = /(^|\.)config\.(update|from_mapping)$/;

function collectSettings(ctx: RuleContext): Setting[] {
  const out: Setting[] = [];
  const visit = (s: Setting): void => {
    out.push(s);
  };
  const configUpdates = new Set(callsWhere(ctx, (callee) => CONFIG_UPDATE.test(callee)).map((v) => v.node));
  ctx.visitsOf('assign', 'call').forEach(({ node, scope }) => {
    if (node.k === 'assign' && !node.op) {
      for (const t of node.targets) {
        if (t.k === 'name' && !scope.functionName && /^[A-Z][A-Z0-9_]*$/.test(t.id)) visit({ name: t.id, value: node.value, span: node.span, scope, bare: true });
        else if (t.k === 'index' && isConfigObject(t.obj) && t.index.k === 'const' && typeof t.index.value === 'string') {
          visit({ name: t.index.value, value: node.value, span: node.span, scope, bare: false });
        }
      }
    } else if (node.k === 'call' && configUpdates.has(node)) {
      for (const a of node.args) if (a.name && !a.spread) visit({ name: a.name, value: a.value, span: a.value.span, scope, bare: false });
      const dict = node.args[0]?.value;
      if (dict?.k === 'dict') {
        dict.keys.forEach((k, i) => {
          if (k?.k === 'const' && typeof k.value === 'string') visit({ name: k.value, value: dict.values[i], span: dict.values[i].span, scope, bare: false });
        });
      }
    }
  });
  return out;
}

function isConfigObject(e: Expr): boolean {
  const d = dottedName(e) ?? '';
  return /(^|\.)(config|settings|conf)$/i.test(d);
}

/** Settings files and config modules where dev-only values are expected: local/dev/test settings. */
export function isDevSettingsFile(file: string): boolean {
  return /(^|[/_.-])(dev|devel|development|local|test|tests|testing|ci)([/_.-]|\.py$)/i.test(file);
}

/** Config classes for tests or development (`class TestingConfig`, `class DevConfig`). */
export function isDevConfigClass(className: string | undefined): boolean {
  return className !== undefined && /(test|dev|local)/i.test(className);
}

/** A bare `NAME = value` only counts as a setting in settings/config modules or config classes. */
export function isSettingsContext(file: string, s: Setting): boolean {
  return !s.bare || s.scope.className !== undefined || /(settings|config|conf)[^/]*(\/|\.py$)|settings\//i.test(file);
}
