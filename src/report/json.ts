/** redline's own JSON report; its shape is documented by docs/report-schema.json. */
import { cweCatalogVersion } from '../core/cwe.js';
import type { EvidenceStep, Finding, Location } from '../core/finding.js';
import type { ScanResult } from '../core/result.js';
import { officialCweName } from './cwe-text.js';

export const JSON_REPORT_VERSION = '1.0';
/** The `$id` of docs/report-schema.json. */
export const JSON_REPORT_SCHEMA_ID = 'urn:redline:schema:report:1.0';

function location(l: Location) {
  return { file: l.file, startLine: l.startLine, startColumn: l.startColumn, endLine: l.endLine, endColumn: l.endColumn };
}

function evidenceStep(s: EvidenceStep) {
  return { kind: s.kind, location: location(s.location), message: s.message, ...(s.code !== undefined ? { code: s.code } : {}) };
}

/** Fixed key order so the output is byte-for-byte stable. */
export function jsonFinding(f: Finding) {
  return {
    ruleId: f.ruleId,
    cwes: f.cwes.map((id) => ({ id, name: officialCweName(id) ?? null })),
    severity: f.severity,
    securitySeverity: f.securitySeverity,
    confidence: f.confidence,
    origin: f.origin,
    location: location(f.location),
    enclosing: f.enclosing,
    code: f.code,
    message: f.message,
    fix: f.fix,
    evidence: f.evidence.map(evidenceStep),
    fingerprint: f.fingerprint,
    ...(f.suppression ? { suppression: { kind: f.suppression.kind, ...(f.suppression.justification !== undefined ? { justification: f.suppression.justification } : {}) } } : {}),
    ...(f.llm
      ? { llm: { verdict: f.llm.verdict, rationale: f.llm.rationale, model: f.llm.model, ...(f.llm.fix !== undefined ? { fix: f.llm.fix } : {}) } }
      : {}),
    ...(f.properties ? { properties: sortedRecord(f.properties) } : {}),
  };
}

function sortedRecord<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]));
}

export function jsonReport(result: ScanResult) {
  const s = result.stats;
  return {
    $schema: JSON_REPORT_SCHEMA_ID,
    version: JSON_REPORT_VERSION,
    tool: { name: result.tool.name, version: result.tool.version, cweCatalogVersion: cweCatalogVersion() },
    kind: result.kind,
    roots: [...result.roots],
    findings: result.findings.map(jsonFinding),
    diagnostics: result.diagnostics.map((d) => ({
      level: d.level,
      code: d.code,
      ...(d.file !== undefined ? { file: d.file } : {}),
      ...(d.line !== undefined ? { line: d.line } : {}),
      message: d.message,
    })),
    stats: {
      filesScanned: s.filesScanned,
      filesSkipped: s.filesSkipped,
      linesScanned: s.linesScanned,
      bytesScanned: s.bytesScanned,
      suppressed: s.suppressed,
      belowThreshold: s.belowThreshold,
    },
    ...(result.change
      ? {
          change: {
            base: result.change.base,
            files: result.change.files.map((f) => ({ file: f.file, status: f.status, addedLines: f.addedLines, removedLines: f.removedLines })),
          },
        }
      : {}),
    ...(result.resolved ? { resolved: result.resolved.map(jsonFinding) } : {}),
    ...(result.llm
      ? {
          llm: {
            model: result.llm.model,
            triaged: result.llm.triaged,
            proposed: result.llm.proposed,
            accepted: result.llm.accepted,
            rejected: result.llm.rejected.map((r) => ({ reason: r.reason, count: r.count })),
            warnings: [...result.llm.warnings],
          },
        }
      : {}),
  };
}

export function renderJson(result: ScanResult): string {
  return `${JSON.stringify(jsonReport(result), null, 2)}\n`;
}
