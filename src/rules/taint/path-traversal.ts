import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/path-traversal',
    name: 'File path built from untrusted data',
    cwes: [22],
    severity: 'high',
    securitySeverity: 7.5,
    precision: 'high',
    docs: {
      summary: 'Untrusted data chooses which file is opened, written, deleted or sent.',
      what: 'Follows untrusted data into `open`, `os`/`shutil` file functions, `pathlib.Path` and Flask `send_file`. A path is safe after `werkzeug.utils.secure_filename`, `os.path.basename`, or after it is normalised with `os.path.realpath`/`abspath`/`normpath` and checked with `startswith` against the base directory.',
      why: 'Sequences like `../` or an absolute path let an attacker read or overwrite any file the service can reach, such as configuration with secrets.',
      example: 'name = request.args["file"]\nreturn open(os.path.join(UPLOADS, name)).read()',
      fix: 'name = request.args["file"]\npath = os.path.realpath(os.path.join(UPLOADS, name))\nif not path.startswith(os.path.realpath(UPLOADS) + os.sep):\n    abort(400)\nreturn open(path).read()',
    },
  },
  sinkKinds: ['path'],
  effect: 'uses it as a file-system path',
  fix: () => 'Reduce the value to a plain file name with `werkzeug.utils.secure_filename()` (or `os.path.basename()`), or resolve the joined path with `os.path.realpath()` and reject it unless it starts with the allowed base directory; Flask\'s `send_from_directory()` does this for you.',
});
