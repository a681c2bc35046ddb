#!/usr/bin/env node
// The analysis allocates many short-lived objects: a larger young generation cuts GC time by ~25 %
// (measured on the standard library). Set before any module of redline is loaded.
import v8 from 'node:v8';

if (!process.execArgv.some((a) => a.startsWith('--max-semi-space-size')) && !/max-semi-space-size/.test(process.env.NODE_OPTIONS ?? '')) {
  v8.setFlagsFromString('--max-semi-space-size=32');
}

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
