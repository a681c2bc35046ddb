import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/code-injection',
    name: 'Python code built from untrusted data',
    cwes: [95, 94],
    severity: 'critical',
    securitySeverity: 9.8,
    precision: 'high',
    banditIds: ['B307', 'B102'],
    docs: {
      summary: 'Untrusted data is evaluated as Python code.',
      what: 'Follows untrusted data into `eval`, `exec`, `compile`, `__import__` and `importlib.import_module`.',
      why: 'Whoever controls the string runs arbitrary code in the server process.',
      example: 'expr = request.args["expr"]\nresult = eval(expr)',
      fix: 'import ast\nexpr = request.args["expr"]\nresult = ast.literal_eval(expr)  # literals only',
    },
  },
  sinkKinds: ['code'],
  effect: 'evaluates it as Python code',
  fix: () => 'Never evaluate request data: parse literals with `ast.literal_eval()` or JSON with `json.loads()`, and map names to functions with an explicit dictionary instead of importing or evaluating them.',
});
