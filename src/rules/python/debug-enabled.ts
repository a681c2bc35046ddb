/** py/debug-enabled: Flask/Werkzeug debug mode and Django `DEBUG = True` left in code. */
import type { Confidence } from '../../core/finding.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, dottedName, isTrueConst, methodName } from './util/ir.js';
import { keywordArg } from './util/call-args.js';
import { forEachSetting, isDevConfigClass, isDevSettingsFile, isSettingsContext } from './util/settings.js';

export const debugEnabled: PatternRule = {
  meta: {
    id: 'py/debug-enabled',
    name: 'Debug mode enabled',
    cwes: [489, 215],
    severity: 'high',
    securitySeverity: 7.5,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B201'],
    tags: ['flask', 'django', 'configuration'],
    docs: {
      summary: 'Flask `app.run(debug=True)`, `app.debug = True`, `DEBUG = True` settings.',
      what:
        'Finds `*.run(debug=True)` and Werkzeug `run_simple(..., use_debugger=True)` (high), `app.debug = True`, ' +
        '`app.config["DEBUG"] = True` / `config.update(DEBUG=True)`, and `DEBUG = True` in settings modules and config classes. ' +
        'Settings files and config classes named for development or tests (`settings/dev.py`, `class DevConfig`) are low confidence; test files are skipped.',
      why:
        'The Werkzeug debugger gives anyone who can reach an error page an interactive Python console: remote code execution. ' +
        'Django and Flask debug pages also expose settings, source code, SQL and environment variables.',
      example: 'if __name__ == "__main__":\n    app.run(host="0.0.0.0", debug=True)',
      fix: 'if __name__ == "__main__":\n    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")',
    },
  },
  check(ctx) {
    if (ctx.isTestFile) return;
    const devFile = isDevSettingsFile(ctx.module.file);
    ctx.visitsOf('call', 'assign').forEach(({ node }) => {
      if (node.k === 'call') {
        const m = methodName(node);
        const callee = calleeName(ctx, node) ?? '';
        const debug = m === 'run' && !/^uvicorn\./.test(callee) ? keywordArg(node, 'debug') : /(^|\.)run_simple$/.test(callee) ? keywordArg(node, 'use_debugger') : undefined;
        if (debug && isTrueConst(ctx, debug)) {
          report(ctx, node.span, `\`${code(ctx, node)}\` starts the server with the interactive debugger on: anyone who triggers an error page can run Python code on the host.`, 'high');
        }
      } else if (node.k === 'assign') {
        for (const t of node.targets) {
          if (t.k === 'attr' && t.name === 'debug' && isTrueConst(ctx, node.value) && /^(app|application|flask_app|server)$/i.test(dottedName(t.obj) ?? '')) {
            report(ctx, node.span, `\`${code(ctx, t)} = True\` turns on Flask debug mode: the Werkzeug debugger gives remote code execution to whoever sees an error page.`, 'high');
          }
        }
      }
    });
    forEachSetting(ctx, (s) => {
      if (s.name !== 'DEBUG' || !isTrueConst(ctx, s.value)) return;
      const devOnly = devFile || isDevConfigClass(s.scope.className);
      if (!isSettingsContext(ctx.module.file, s)) return;
      report(ctx, s.span, `\`DEBUG\` is set to \`True\`${devOnly ? ' (in a development/test configuration)' : ''}: if this configuration reaches production, error pages disclose source, settings and environment.`, devOnly ? 'low' : 'medium');
    });
  },
};

function report(ctx: RuleContext, span: Parameters<RuleContext['report']>[0]['span'], message: string, confidence: Confidence): void {
  ctx.report({
    span,
    message,
    fix: 'Read the flag from the environment (`DEBUG = os.environ.get("DJANGO_DEBUG") == "1"`) so it is off unless explicitly enabled, and never enable it on a reachable server.',
    confidence,
  });
}
