/** py/jinja-autoescape-disabled: Jinja2 environments that do not HTML-escape template variables. */
import type { PatternRule } from '../types.js';
import { code, isFalseConst } from './util/ir.js';
import { callsWhere } from './util/calls.js';
import { hasKwargsSpread, keywordArg } from './util/call-args.js';

const JINJA_ENVIRONMENT = /^jinja2\.(Environment|environment\.Environment)$/;

export const jinjaAutoescapeDisabled: PatternRule = {
  meta: {
    id: 'py/jinja-autoescape-disabled',
    name: 'Jinja2 autoescaping disabled',
    cwes: [79],
    severity: 'medium',
    securitySeverity: 6.1,
    precision: 'medium',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B701'],
    tags: ['xss', 'templates'],
    docs: {
      summary: '`jinja2.Environment(autoescape=False)`, or an Environment without `autoescape`.',
      what:
        'Finds `jinja2.Environment(...)` with `autoescape=False` (medium) or without an `autoescape` argument (low: Environments that render ' +
        'plain text, YAML or code do not need escaping). Flask\'s own environment escapes HTML templates and is not affected.',
      why: 'Without autoescaping, every `{{ value }}` that carries user input into HTML is a cross-site scripting hole unless escaped by hand.',
      example: 'env = jinja2.Environment(loader=FileSystemLoader("templates"), autoescape=False)',
      fix: 'env = jinja2.Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape(["html", "xml"]))',
    },
  },
  check(ctx) {
    callsWhere(ctx, (callee) => JINJA_ENVIRONMENT.test(callee)).forEach(({ node }) => {
      const autoescape = keywordArg(node, 'autoescape');
      if (autoescape && isFalseConst(ctx, autoescape)) {
        ctx.report({
          span: node.span,
          message: `\`${code(ctx, node)}\` turns autoescaping off: values rendered with \`{{ }}\` into HTML are not escaped, so user input becomes script (XSS).`,
          fix: 'Pass `autoescape=select_autoescape(["html", "htm", "xml"])` (or `True`), and mark trusted markup explicitly with `Markup`.',
          confidence: 'medium',
        });
      } else if (!autoescape && !hasKwargsSpread(node)) {
        ctx.report({
          span: node.span,
          message: `\`${code(ctx, node)}\` leaves \`autoescape\` at its default (off): if this environment renders HTML, user input in \`{{ }}\` becomes script.`,
          fix: 'Pass `autoescape=select_autoescape(["html", "htm", "xml"])`; for non-HTML output, pass `autoescape=False` explicitly to document it.',
          confidence: 'low',
        });
      }
    });
  },
};
