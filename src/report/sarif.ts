/** SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. */
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Diagnostic, EvidenceStep, Finding, Location, Severity, Suppression } from '../core/finding.js';
import type { ScanResult } from '../core/result.js';
import type { RuleMeta } from '../rules/types.js';
import { cweLabel } from './cwe-text.js';
import { ruleHelpMarkdown, ruleHelpText } from './rule-help.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

export function sarifLevel(severity: Severity): Sarif.ReportingConfiguration.level {
  return severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'note';
}

/** GitHub's `problem.severity` vocabulary. */
function problemSeverity(severity: Severity): 'error' | 'warning' | 'recommendation' {
  return severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'recommendation';
}

/** "OS command built from untrusted data" -> "OsCommandBuiltFromUntrustedData". */
export function pascalCaseName(text: string): string {
  const words = text.match(/[A-Za-z0-9]+/g) ?? [];
  return words.map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join('');
}

/** Repo-relative path as a relative URI reference: forward slashes, each segment percent-encoded. */
export function relativeUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

export function baseDirUri(baseDir: string): string {
  const href = pathToFileURL(baseDir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function cweTags(cwes: readonly number[]): string[] {
  return cwes.map((id) => `external/cwe/cwe-${id}`);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function ruleDescriptor(meta: RuleMeta): Sarif.ReportingDescriptor {
  return {
    id: meta.id,
    name: pascalCaseName(meta.name || meta.id),
    shortDescription: { text: meta.docs.summary },
    fullDescription: { text: meta.docs.what },
    help: { text: ruleHelpText(meta), markdown: ruleHelpMarkdown(meta) },
    defaultConfiguration: { level: sarifLevel(meta.severity) },
    properties: {
      tags: unique(['security', ...cweTags(meta.cwes), ...(meta.tags ?? [])]),
      'security-severity': meta.securitySeverity.toFixed(1),
      precision: meta.precision,
      'problem.severity': problemSeverity(meta.severity),
    },
  };
}

/** A finding whose rule did not run (e.g. model-suggested) still needs a descriptor to point at. */
function descriptorFromFinding(f: Finding): Sarif.ReportingDescriptor {
  const title = f.cwes[0] === undefined ? f.ruleId : cweLabel(f.cwes[0]);
  return {
    id: f.ruleId,
    name: pascalCaseName(f.ruleId),
    shortDescription: { text: title },
    defaultConfiguration: { level: sarifLevel(f.severity) },
    properties: {
      tags: unique(['security', ...cweTags(f.cwes)]),
      'security-severity': f.securitySeverity.toFixed(1),
      'problem.severity': problemSeverity(f.severity),
    },
  };
}

function ruleDescriptors(result: ScanResult): Sarif.ReportingDescriptor[] {
  const rules = result.rules.map(ruleDescriptor);
  const known = new Set(result.rules.map((r) => r.id));
  const missing = new Map<string, Finding>();
  for (const f of result.findings) if (!known.has(f.ruleId) && !missing.has(f.ruleId)) missing.set(f.ruleId, f);
  const extra = [...missing.keys()].sort().map((id) => descriptorFromFinding(missing.get(id)!));
  return [...rules, ...extra];
}

function region(l: Location, snippet?: string): Sarif.Region {
  const startLine = Math.max(1, l.startLine);
  const startColumn = Math.max(1, l.startColumn);
  const endLine = Math.max(startLine, l.endLine);
  const endColumn = Math.max(1, endLine === startLine ? Math.max(startColumn, l.endColumn) : l.endColumn);
  return { startLine, startColumn, endLine, endColumn, ...(snippet !== undefined && snippet !== '' ? { snippet: { text: snippet } } : {}) };
}

function physicalLocation(l: Location, snippet?: string): Sarif.PhysicalLocation {
  return { artifactLocation: { uri: relativeUri(l.file), uriBaseId: SRCROOT }, region: region(l, snippet) };
}

function threadFlowLocation(step: EvidenceStep): Sarif.ThreadFlowLocation {
  return {
    location: { physicalLocation: physicalLocation(step.location, step.code), message: { text: step.message } },
    kinds: [step.kind],
    importance: step.kind === 'source' || step.kind === 'sink' ? 'essential' : 'important',
  };
}

function suppression(s: Suppression): Sarif.Suppression {
  // SARIF only knows where a suppression lives: in the source, or outside it (baseline, model filter).
  return {
    kind: s.kind === 'inSource' ? 'inSource' : 'external',
    ...(s.justification !== undefined ? { justification: s.justification } : {}),
    properties: { redlineKind: s.kind },
  };
}

function resultProperties(f: Finding): Sarif.PropertyBag {
  return {
    // Rule-specific properties first, so they cannot overwrite redline's own.
    ...(f.properties ?? {}),
    confidence: f.confidence,
    severity: f.severity,
    origin: f.origin,
    cwe: f.cwes.map((id) => `CWE-${id}`),
    ...(f.enclosing ? { enclosing: f.enclosing } : {}),
    ...(f.llm
      ? { llmVerdict: f.llm.verdict, llmRationale: f.llm.rationale, llmModel: f.llm.model, ...(f.llm.fix !== undefined ? { llmFix: f.llm.fix } : {}) }
      : {}),
  };
}

function messageText(f: Finding): string {
  const origin = f.origin === 'model-suggested' ? '[model-suggested, not verified by static analysis] ' : '';
  return `${origin}${f.message}\n\nFix: ${f.fix}`;
}

function sarifResult(f: Finding, ruleIndex: Map<string, number>): Sarif.Result {
  return {
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId)!,
    level: sarifLevel(f.severity),
    message: { text: messageText(f) },
    locations: [{ physicalLocation: physicalLocation(f.location, f.code) }],
    ...(f.fingerprint ? { partialFingerprints: { primaryLocationLineHash: f.fingerprint } } : {}),
    ...(f.evidence.length >= 2 ? { codeFlows: [{ threadFlows: [{ locations: f.evidence.map(threadFlowLocation) }] }] } : {}),
    ...(f.suppression ? { suppressions: [suppression(f.suppression)] } : {}),
    properties: resultProperties(f),
  };
}

function notification(d: Diagnostic): Sarif.Notification {
  return {
    level: d.level,
    message: { text: d.message },
    descriptor: { id: d.code },
    ...(d.file !== undefined
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: relativeUri(d.file), uriBaseId: SRCROOT },
                ...(d.line !== undefined && d.line >= 1 ? { region: { startLine: d.line } } : {}),
              },
            },
          ],
        }
      : {}),
  };
}

export function sarifLog(result: ScanResult): Sarif.Log {
  const rules = ruleDescriptors(result);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const run: Sarif.Run = {
    tool: { driver: { name: 'redline', version: result.tool.version, semanticVersion: result.tool.version, rules } },
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: result.diagnostics.map(notification) }],
    originalUriBaseIds: { [SRCROOT]: { uri: baseDirUri(result.baseDir) } },
    results: result.findings.map((f) => sarifResult(f, ruleIndex)),
    columnKind: 'unicodeCodePoints',
    properties: {
      kind: result.kind,
      ...(result.change ? { changeBase: result.change.base } : {}),
    },
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

export function renderSarif(result: ScanResult): string {
  return `${JSON.stringify(sarifLog(result), null, 2)}\n`;
}
