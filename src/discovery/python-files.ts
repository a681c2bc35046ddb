/** Deciding whether a file is Python source: by extension, or by a `#!` line for extension-less scripts. */
import { open } from 'node:fs/promises';
import * as path from 'node:path';

const PYTHON_EXTENSIONS = new Set(['.py', '.pyw']);
/** Type stubs hold declarations only; nothing in them executes. */
const SKIPPED_EXTENSIONS = new Set(['.pyi']);
const SHEBANG_BYTES = 256;

export type PythonKind = 'python' | 'not-python' | 'check-shebang';

/** Classification from the name alone; 'check-shebang' means the first line must be read. */
export function classifyByName(fileName: string): PythonKind {
  const ext = path.extname(fileName).toLowerCase();
  if (PYTHON_EXTENSIONS.has(ext)) return 'python';
  if (SKIPPED_EXTENSIONS.has(ext) || ext !== '') return 'not-python';
  return 'check-shebang';
}

/** True when the first line is a `#!` line naming python (`#!/usr/bin/env python3`, `#!/usr/bin/python2.7 -u`). */
export function isPythonShebang(firstBytes: Buffer): boolean {
  if (firstBytes.length < 2 || firstBytes[0] !== 0x23 /* # */ || firstBytes[1] !== 0x21 /* ! */) return false;
  const newline = firstBytes.indexOf(0x0a);
  const line = firstBytes.subarray(0, newline === -1 ? firstBytes.length : newline).toString('latin1');
  return /\bpython[0-9.]*\b/.test(line);
}

export async function hasPythonShebang(absPath: string): Promise<boolean> {
  const handle = await open(absPath, 'r');
  try {
    const buf = Buffer.alloc(SHEBANG_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SHEBANG_BYTES, 0);
    return isPythonShebang(buf.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
