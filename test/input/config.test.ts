import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { ENABLE_DISABLE_KEYS, LLM_KEYS, parseByteSize, parseCwe, TOP_KEYS } from '../../src/config/schema.js';

const tempDirs: string[] = [];
after(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'redline-config-'));
  tempDirs.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.ok(!err.message.includes('\n'), `message should be one line: ${err.message}`);
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

const FULL_TOML = `
[project]
name = "app"

[tool.redline]
include = ["src"]
exclude = ["src/legacy/**", "tests"]
min-severity = "medium"
min-confidence = "high"
threat-models = ["remote", "local"]
models = ["models/extra.yml"]
tests = "skip"
max-file-size = "1MB"
nosec = false
cache-dir = "cache"
cache = false

[tool.redline.rules]
enable = ["py/sql-injection"]
disable = ["py/weak-hash"]

[tool.redline.cwes]
enable = ["CWE-89", 78]
disable = ["cwe-327"]

[tool.redline.llm]
url = "http://localhost:11434/v1"
model = "qwen2.5-coder"
api-key-env = "MY_KEY"
max-tokens = 2048
concurrency = 2
timeout-ms = 30000
max-tokens-per-run = 100000
max-retries = 0
filter = true
open-review = false
`;

const FULL_YAML = `
include: [src]
exclude:
  - src/legacy/**
  - tests
min-severity: medium
min-confidence: high
threat-models: [remote, local]
models: [models/extra.yml]
tests: skip
max-file-size: 1MB
nosec: false
cache-dir: cache
cache: false
rules:
  enable: [py/sql-injection]
  disable: [py/weak-hash]
cwes:
  enable: [CWE-89, 78]
  disable: [cwe-327]
llm:
  url: http://localhost:11434/v1
  model: qwen2.5-coder
  api-key-env: MY_KEY
  max-tokens: 2048
  concurrency: 2
  timeout-ms: 30000
  max-tokens-per-run: 100000
  max-retries: 0
  filter: true
  open-review: false
`;

describe('loadConfig', () => {
  it('uses defaults when no config file exists up to the filesystem root', () => {
    const root = tree({ 'src/a.py': '' });
    const config = loadConfig({ startDir: path.join(root, 'src') });
    // A config file somewhere above os.tmpdir() would make this test meaningless.
    if (config.source) return;
    assert.equal(config.minSeverity, 'low');
    assert.equal(config.tests, 'downgrade');
    assert.deepEqual(config.threatModels, ['remote']);
    assert.equal(config.maxFileSize, 2 * 1024 * 1024);
    assert.equal(config.nosec, true);
    assert.equal(config.cache, true);
    assert.equal(config.cacheDir, path.join(root, 'src', '.redline-cache'));
    assert.deepEqual(config.llm, {}, 'the LLM module applies its own defaults');
  });

  for (const [syntax, name, text] of [
    ['TOML', 'pyproject.toml', FULL_TOML],
    ['YAML', '.redline.yml', FULL_YAML],
  ] as const) {
    it(`reads every key from ${syntax} (${name}) into camelCase fields`, () => {
      const root = tree({ [name]: text, 'models/extra.yml': 'x: 1\n', 'src/pkg/a.py': '' });
      const config = loadConfig({ startDir: path.join(root, 'src', 'pkg') });
      assert.equal(config.source, path.join(root, name));
      const { source: _source, ...fields } = config;
      assert.deepEqual(fields, {
        include: ['src'],
        exclude: ['src/legacy/**', 'tests'],
        rules: { enable: ['py/sql-injection'], disable: ['py/weak-hash'] },
        cwes: { enable: [89, 78], disable: [327] },
        minSeverity: 'medium',
        minConfidence: 'high',
        threatModels: ['remote', 'local'],
        models: [path.join(root, 'models/extra.yml')],
        tests: 'skip',
        maxFileSize: 1024 * 1024,
        nosec: false,
        cacheDir: path.join(root, 'cache'),
        cache: false,
        llm: {
          url: 'http://localhost:11434/v1',
          model: 'qwen2.5-coder',
          apiKeyEnv: 'MY_KEY',
          maxTokens: 2048,
          concurrency: 2,
          timeoutMs: 30000,
          maxTokensPerRun: 100000,
          maxRetries: 0,
          filter: true,
          openReview: false,
        },
      });
    });
  }

  it('stops at the nearest candidate: a closer pyproject.toml without [tool.redline] means defaults', () => {
    const root = tree({
      '.redline.yml': 'min-severity: high\n',
      'sub/pyproject.toml': '[project]\nname = "sub"\n',
      'sub/pkg/a.py': '',
      'other/a.py': '',
    });
    const nearest = loadConfig({ startDir: path.join(root, 'sub', 'pkg') });
    assert.equal(nearest.source, undefined);
    assert.equal(nearest.minSeverity, 'low');
    const outer = loadConfig({ startDir: path.join(root, 'other') });
    assert.equal(outer.source, path.join(root, '.redline.yml'));
    assert.equal(outer.minSeverity, 'high');
  });

  it('prefers .redline.yml over pyproject.toml in the same directory, and accepts a file as startDir', () => {
    const root = tree({ '.redline.yaml': 'tests: include\n', 'pyproject.toml': '[tool.redline]\ntests = "skip"\n', 'a.py': '' });
    const config = loadConfig({ startDir: path.join(root, 'a.py') });
    assert.equal(config.tests, 'include');
  });

  it('lets --config override discovery and accepts a dedicated TOML file', () => {
    const root = tree({ '.redline.yml': 'tests: skip\n', 'ci/redline.toml': 'min-confidence = "medium"\n' });
    const config = loadConfig({ startDir: root, explicitPath: path.join(root, 'ci/redline.toml') });
    assert.equal(config.minConfidence, 'medium');
    assert.equal(config.tests, 'downgrade');
    assert.match(configError(() => loadConfig({ startDir: root, explicitPath: path.join(root, 'missing.yml') })), /config file not found/);
  });

  it('accepts numbers and sizes for max-file-size', () => {
    assert.equal(parseByteSize(1000), 1000);
    assert.equal(parseByteSize('2MB'), 2 * 1024 * 1024);
    assert.equal(parseByteSize('1.5 KiB'), 1536);
    assert.equal(parseByteSize('500kb'), 512000);
    assert.equal(parseByteSize('2 parsecs'), undefined);
    assert.equal(parseByteSize(-5), undefined);
    assert.equal(parseCwe('CWE-89'), 89);
    assert.equal(parseCwe('89'), 89);
    assert.equal(parseCwe('CWE-x'), undefined);
  });

  const errorCases: Array<[string, string, string, RegExp]> = [
    ['bad enum', 'min-severity = "urgent"', 'min-severity: urgent', /key 'min-severity': expected one of low\|medium\|high\|critical, got "urgent"$/],
    ['unknown key', 'min-severty = "high"', 'min-severty: high', /unknown key 'min-severty' \(did you mean 'min-severity'\?\)/],
    ['wrong type', 'exclude = "tests"', 'exclude: tests', /key 'exclude': expected a list of non-empty strings, got "tests"$/],
    ['wrong nested type', '[tool.redline.llm]\nmax-tokens = "many"', 'llm:\n  max-tokens: many', /key 'llm.max-tokens': expected a positive integer, got "many"$/],
    ['unknown nested key', '[tool.redline.rules]\nenabled = ["py/x"]', 'rules:\n  enabled: [py/x]', /unknown key 'rules.enabled' \(did you mean 'rules.enable'\?\)/],
    ['bad threat model', 'threat-models = ["remote", "physical"]', 'threat-models: [remote, physical]', /key 'threat-models': expected one of remote\|local, got "physical"$/],
    ['bad CWE', '[tool.redline.cwes]\ndisable = ["SQLi"]', 'cwes:\n  disable: [SQLi]', /key 'cwes.disable': expected a list of CWE ids/],
    ['boolean as string', 'nosec = "yes"', 'nosec: "yes"', /key 'nosec': expected true or false, got "yes"$/],
    ['missing model file', 'models = ["nope.yml"]', 'models: [nope.yml]', /key 'models': file not found: nope.yml/],
  ];
  for (const [what, toml, yaml, expected] of errorCases) {
    it(`rejects ${what} in TOML and YAML, naming the file`, () => {
      const tomlRoot = tree({ 'pyproject.toml': toml.startsWith('[') ? toml : `[tool.redline]\n${toml}\n` });
      const tomlMessage = configError(() => loadConfig({ startDir: tomlRoot }));
      assert.ok(tomlMessage.startsWith(`${path.join(tomlRoot, 'pyproject.toml')}: `), tomlMessage);
      assert.match(tomlMessage, expected);
      const yamlRoot = tree({ '.redline.yml': `${yaml}\n` });
      const yamlMessage = configError(() => loadConfig({ startDir: yamlRoot }));
      assert.ok(yamlMessage.startsWith(`${path.join(yamlRoot, '.redline.yml')}: `), yamlMessage);
      assert.match(yamlMessage, expected);
    });
  }

  it('reports malformed TOML and YAML with the parser line', () => {
    const tomlRoot = tree({ 'pyproject.toml': '[tool.redline]\nexclude = ["a",\nnosec = true\n' });
    assert.match(configError(() => loadConfig({ startDir: tomlRoot })), /pyproject\.toml: invalid TOML at line \d+, column \d+: /);
    const yamlRoot = tree({ '.redline.yml': 'exclude: [a,\nnosec: true\n' });
    assert.match(configError(() => loadConfig({ startDir: yamlRoot })), /\.redline\.yml: invalid YAML: .*line \d+/);
    const dupRoot = tree({ '.redline.yml': 'nosec: true\nnosec: false\n' });
    assert.match(configError(() => loadConfig({ startDir: dupRoot })), /invalid YAML: Map keys must be unique/);
  });

  it('rejects a YAML document that is not a mapping', () => {
    const root = tree({ '.redline.yml': '- a\n- b\n' });
    assert.match(configError(() => loadConfig({ startDir: root })), /expected a table of redline settings/);
  });

  it('treats an empty .redline.yml as defaults', () => {
    const root = tree({ '.redline.yml': '# nothing yet\n' });
    const config = loadConfig({ startDir: root });
    assert.equal(config.source, path.join(root, '.redline.yml'));
    assert.equal(config.tests, 'downgrade');
  });
});

describe('config and the LLM module', () => {
  it('config.llm can be passed to llmOptionsFromEnv as is', async () => {
    const { llmOptionsFromEnv } = await import('../../src/llm/options.js');
    const root = tree({ '.redline.yml': 'llm:\n  url: http://127.0.0.1:9/v1\n  model: m\n  concurrency: 3\n' });
    const options = llmOptionsFromEnv({}, loadConfig({ startDir: root }).llm);
    assert.ok(!('error' in options), JSON.stringify(options));
    assert.equal(options.concurrency, 3);
  });
});

describe('docs/configuration.md', () => {
  const docsPath = fileURLToPath(new URL('../../../docs/configuration.md', import.meta.url));
  const docs = fs.readFileSync(docsPath, 'utf8');

  it('documents every key in the keys table', () => {
    const documented = new Set([...docs.matchAll(/^\| `([a-z.-]+)` \|/gm)].map((m) => m[1]));
    const expected = [
      ...TOP_KEYS.filter((k) => k !== 'rules' && k !== 'cwes' && k !== 'llm'),
      ...ENABLE_DISABLE_KEYS.flatMap((k) => [`rules.${k}`, `cwes.${k}`]),
      ...LLM_KEYS.map((k) => `llm.${k}`),
    ];
    for (const key of expected) assert.ok(documented.has(key), `docs/configuration.md does not document '${key}'`);
  });

  it('has TOML and YAML examples that load to the same configuration', () => {
    const example = docs.slice(docs.indexOf('## Example'), docs.indexOf('## Keys'));
    const toml = /```toml\n([\s\S]*?)```/.exec(example)?.[1];
    const yaml = /```yaml\n([\s\S]*?)```/.exec(example)?.[1];
    assert.ok(toml && yaml, 'examples not found');
    const root = tree({ 'pyproject.toml': toml, '.redline.yml': yaml, 'security/models/internal-apis.yml': '' });
    const fromToml = loadConfig({ startDir: root, explicitPath: path.join(root, 'pyproject.toml') });
    const fromYaml = loadConfig({ startDir: root, explicitPath: path.join(root, '.redline.yml') });
    assert.deepEqual({ ...fromToml, source: '' }, { ...fromYaml, source: '' });
    assert.equal(fromToml.minSeverity, 'medium');
  });
});
