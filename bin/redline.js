#!/usr/bin/env node
// The analysis allocates many short-lived objects, and V8's default young generation (16 MB
// semi-spaces) makes it promote and scavenge far more than needed. The semi-space size can only be
// set when the process starts (v8.setFlagsFromString is too late: the heap is already configured),
// so without the flag redline re-runs itself once with it. REDLINE_NO_RESPAWN=1 turns this off.
import { spawn } from 'node:child_process';

const SEMI_SPACE_MB = 64;
const hasFlag = process.execArgv.some((a) => a.startsWith('--max-semi-space-size')) || /max-semi-space-size/.test(process.env.NODE_OPTIONS ?? '');

if (hasFlag || process.env.REDLINE_NO_RESPAWN === '1') {
  const { main } = await import('../dist/src/cli/main.js');
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`redline: internal error: ${err && err.message ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
} else {
  const child = spawn(process.execPath, [`--max-semi-space-size=${SEMI_SPACE_MB}`, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  // The child gets terminal signals itself (same process group); forward the ones sent to us alone.
  const forward = (signal) => () => child.kill(signal);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, forward(s));
  child.on('error', (err) => {
    process.stderr.write(`redline: cannot start: ${err.message}\n`);
    process.exitCode = 2;
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeAllListeners(s);
      process.kill(process.pid, signal);
    } else process.exitCode = code ?? 2;
  });
}
