/**
 * Dotted Python module name from a path relative to the scan root:
 * 'pkg/sub/mod.py' -> 'pkg.sub.mod'; 'pkg/__init__.py' -> 'pkg' (a package).
 * Names stay path-derived (a leading 'src/' is kept); resolution against source roots is the
 * program loader's business.
 */
export function pythonModuleName(relPath: string): { name: string; isPackage: boolean } {
  const segments = relPath
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  const last = segments.pop() ?? '';
  const stem = last.replace(/\.pyw?$/i, '');
  if (stem === '__init__') return { name: segments.join('.'), isPackage: true };
  segments.push(stem);
  return { name: segments.join('.'), isPackage: false };
}
