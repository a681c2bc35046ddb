/** Method names the interpreter never resolves by name to program methods (shared with the change slice). */

/** Methods of built-in containers and strings (and a few ubiquitous stream and config methods). */
export const CONTAINER_METHODS: ReadonlySet<string> = new Set([
  'get', 'append', 'extend', 'insert', 'pop', 'popleft', 'appendleft', 'remove', 'clear', 'copy', 'update', 'setdefault',
  'items', 'keys', 'values', 'format', 'join', 'split', 'rsplit', 'splitlines', 'replace', 'strip', 'lstrip', 'rstrip',
  'lower', 'upper', 'title', 'capitalize', 'casefold', 'encode', 'decode', 'read', 'write', 'readline', 'readlines',
  'add', 'discard', 'index', 'count', 'find', 'rfind', 'startswith', 'endswith', 'getlist', 'sort', 'reverse', 'format_map',
  'set', 'has_option', 'has_section', 'sections', 'options', 'close', 'flush', 'zfill', 'center', 'ljust', 'rjust',
]);

/** DB-API methods: on an unknown receiver they belong to a driver, not to the program. */
export const EXTERNAL_METHOD_NAMES: ReadonlySet<string> = new Set(['execute', 'executemany', 'executescript', 'fetchone', 'fetchall', 'commit', 'cursor', 'rollback', 'connect']);

/** Whether a call `receiver.name(...)` on a receiver of unknown type may resolve to program methods by name. */
export function resolvableByName(name: string): boolean {
  return !CONTAINER_METHODS.has(name) && !name.startsWith('__') && !EXTERNAL_METHOD_NAMES.has(name);
}
