import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/command-injection',
    name: 'OS command built from untrusted data',
    cwes: [78],
    severity: 'critical',
    securitySeverity: 9.8,
    precision: 'high',
    banditIds: ['B602', 'B603', 'B604', 'B605', 'B606', 'B607', 'B609', 'B601'],
    docs: {
      summary: 'Untrusted data reaches a shell command or chooses the program to run.',
      what: 'Follows data from request parameters and other untrusted sources to `os.system`, `os.popen`, `subprocess.*` with `shell=True`, and to the program name of `subprocess`/`os.exec*` calls.',
      why: 'A shell interprets `;`, `|`, `$(...)` and backticks: an attacker who controls part of the command string runs any command with the privileges of the service.',
      example: 'name = request.args["name"]\nos.system("ping -c 1 " + name)',
      fix: 'name = request.args["name"]\nsubprocess.run(["ping", "-c", "1", name], check=True)  # no shell; the value is one argument',
    },
  },
  sinkKinds: ['command'],
  effect: 'runs it as an operating-system command',
  fix: () => 'Pass the command as a list of arguments without `shell=True` so the value stays a single argument, keep the program name constant, and validate the value against an allow-list; if a shell is unavoidable, quote the value with `shlex.quote()`.',
});
