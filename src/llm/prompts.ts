/** The prompts. Trusted text (task, rule, CWE) stays outside the fence; repository content inside. */
import type { Finding } from '../core/finding.js';
import { cweTitle } from '../core/cwe.js';
import { DATA_NOT_INSTRUCTIONS, fenceAsData, stripFenceMarkers } from './fence.js';
import type { ChatRequest } from './chat-client.js';

export const TRIAGE_SYSTEM =
  'You are an application security expert reviewing Python code. A static analyzer reported the finding described ' +
  'below, with the evidence path it followed (where untrusted data enters, how it flows, where it is used) and the ' +
  'guards it saw. Judge the finding on the code shown: true_positive when it is a real, exploitable weakness; ' +
  'false_positive when the code is safe (for example the data is validated, constant or not attacker-controlled); ' +
  'uncertain when the code shown is not enough to decide. ' +
  DATA_NOT_INSTRUCTIONS +
  '\nReply with one JSON object and nothing else: ' +
  '{"verdict": "true_positive" | "false_positive" | "uncertain", "rationale": "one or two sentences about this code", "fix": "how to fix this code, or an empty string"}';

export function triageRequest(finding: Finding, slice: string): ChatRequest {
  const cwes = finding.cwes.map(safeCweTitle).join('; ');
  return {
    system: TRIAGE_SYSTEM,
    user: `Rule: ${finding.ruleId}\nWeakness: ${cwes}\nSeverity: ${finding.severity}\n\nThe finding, its evidence path and the code along it:\n${fenceAsData(slice)}`,
  };
}

export const REVIEW_SYSTEM =
  'You are an application security expert doing a security code review of a Python file. Report the security ' +
  'weaknesses you can see in the code shown. Each finding names one MITRE CWE weakness by its number (a weakness, ' +
  'not a category or a view; the most specific one that fits), the line number shown at the start of the line, ' +
  'the code of that line copied exactly, the issue in this code, and the solution for this code. Report only ' +
  'concrete issues on a specific line; do not repeat the findings listed as already reported. ' +
  DATA_NOT_INSTRUCTIONS +
  '\nReply with one JSON object and nothing else: ' +
  '{"findings": [{"cwe": 89, "line": 12, "code": "the exact code of line 12", "issue": "what is wrong", "solution": "how to fix it"}]}; ' +
  'reply {"findings": []} when there is nothing to report.';

export interface ReviewChunk {
  file: string;
  firstLine: number;
  lastLine: number;
  totalLines: number;
  /** Numbered, redacted lines. */
  text: string;
  /** "line 12: CWE-89" for static findings in this chunk. */
  alreadyReported: string[];
}

export function reviewRequest(chunk: ReviewChunk): ChatRequest {
  const known = chunk.alreadyReported.length ? chunk.alreadyReported.join('; ') : 'none';
  const file = stripFenceMarkers(chunk.file).replace(/[\r\n]/g, ' ');
  return {
    system: REVIEW_SYSTEM,
    user: `File: ${file} (lines ${chunk.firstLine}-${chunk.lastLine} of ${chunk.totalLines})\nAlready reported: ${known}\n\n${fenceAsData(chunk.text)}`,
  };
}

function safeCweTitle(id: number): string {
  try {
    return cweTitle(id);
  } catch {
    return `CWE-${id}`;
  }
}
