/**
 * Optional LLM-assisted review, grounded in redline's static evidence. Nothing here opens a
 * connection until applyLlm is called with a usable endpoint.
 */
import { compareFindings, type Finding } from '../core/finding.js';
import type { ScanResult } from '../core/result.js';
import type { ChatClient, ChatOutcome } from './chat-client.js';
import { endpointProblem } from './endpoint.js';
import { evidenceSlice } from './evidence-slice.js';
import { stripFenceMarkers } from './fence.js';
import { mapLimited } from './limiter.js';
import { chunkFile, filesToReview, parseProposals } from './open-review.js';
import type { LlmOptions } from './options.js';
import { REJECT, validateProposal } from './proposals.js';
import { reviewRequest, triageRequest, type ReviewChunk } from './prompts.js';
import { RedactedSources } from './redacted-sources.js';
import { modelSuggestedRuleMeta } from './rule-meta.js';
import { LlmTally } from './summary.js';
import { applyVerdict, parseVerdict } from './triage.js';

export { llmOptionsFromEnv, LLM_DEFAULTS, type LlmConfig, type LlmOptions } from './options.js';
export { endpointProblem, isLoopbackHost } from './endpoint.js';
export { modelSuggestedRuleMeta, MODEL_SUGGESTED_RULE_ID } from './rule-meta.js';
export { redactSecrets, redactLines } from './redact.js';

/**
 * Triages the static findings and (with openReview) asks for more, within the token budget.
 * Returns a new ScanResult with `llm` set; never throws, and on any endpoint trouble the
 * findings are those of `result` with a warning in `llm.warnings`.
 */
export async function applyLlm(result: ScanResult, sources: Map<string, string[]>, opts: LlmOptions): Promise<ScanResult> {
  const tally = new LlmTally(opts.model);
  const refused = endpointProblem(opts.url);
  if (refused) return unchanged(result, tally, refused);
  try {
    const out = structuredClone(result);
    // Loaded here so that importing redline's LLM support costs nothing until it is used.
    const { ChatClient } = await import('./chat-client.js');
    const client = new ChatClient(opts);
    const redacted = new RedactedSources(sources);

    out.stats.suppressed += await triage(out, redacted, client, opts, tally);
    if (opts.openReview && !client.stopReason) {
      const added = await openReview(out, redacted, client, opts, tally);
      if (added.ran && !out.rules.some((r) => r.id === modelSuggestedRuleMeta.id)) out.rules.push(modelSuggestedRuleMeta);
      out.findings.push(...added.findings);
      out.findings.sort(compareFindings);
    }
    tally.warnings.push(...clientWarnings(client, tally));
    out.llm = tally.summary();
    return out;
  } catch (err) {
    return unchanged(result, new LlmTally(opts.model), `LLM review failed: ${err instanceof Error ? err.message : String(err)}; static report unchanged`);
  }
}

function unchanged(result: ScanResult, tally: LlmTally, warning: string): ScanResult {
  tally.warnings.push(warning);
  let copy: ScanResult;
  try {
    copy = structuredClone(result);
  } catch {
    copy = { ...result }; // not plain data: share the findings rather than fail
  }
  return { ...copy, llm: tally.summary() };
}

/** Returns how many findings the verdicts newly suppressed. */
async function triage(out: ScanResult, sources: RedactedSources, client: ChatClient, opts: LlmOptions, tally: LlmTally): Promise<number> {
  const targets = out.findings.filter((f) => f.origin === 'static' && !f.suppression);
  const replies = await mapLimited(targets, opts.concurrency, (f) => client.complete(triageRequest(f, evidenceSlice(f, sources))));
  let suppressed = 0;
  targets.forEach((finding, i) => {
    const reply = replies[i]!;
    if (!reply.ok) return;
    const verdict = parseVerdict(reply.text, opts.model);
    if (!verdict) return tally.reject(REJECT.malformedReply);
    tally.triaged++;
    if (applyVerdict(finding, verdict, opts.filter)) suppressed++;
  });
  return suppressed;
}

async function openReview(
  out: ScanResult,
  sources: RedactedSources,
  client: ChatClient,
  opts: LlmOptions,
  tally: LlmTally,
): Promise<{ findings: Finding[]; ran: boolean }> {
  const chunks: ReviewChunk[] = filesToReview(out, sources).flatMap((file) => chunkFile(file, sources, out));
  const replies: ChatOutcome[] = await mapLimited(chunks, opts.concurrency, (c) => client.complete(reviewRequest(c)));
  const accepted: Finding[] = [];
  let ran = false;
  chunks.forEach((chunk, i) => {
    const reply = replies[i]!;
    if (!reply.ok) return;
    ran = true;
    const proposals = parseProposals(reply.text);
    if (!proposals) return tally.reject(REJECT.malformedReply);
    const ctx = {
      file: chunk.file,
      lines: sources.original(chunk.file) ?? [],
      sentLines: (sources.redacted(chunk.file) ?? []).map(stripFenceMarkers),
    };
    for (const p of proposals) {
      tally.proposed++;
      const outcome = validateProposal(p, { ...ctx, existing: [...out.findings, ...accepted] });
      if ('accepted' in outcome) {
        accepted.push(outcome.accepted);
        tally.accepted++;
      } else tally.reject(outcome.rejected);
    }
  });
  return { findings: accepted, ran };
}

function clientWarnings(client: ChatClient, tally: LlmTally): string[] {
  const warnings: string[] = [];
  const changedNothing = tally.triaged === 0 && tally.accepted === 0;
  const stop = client.stopReason;
  if (stop) warnings.push(`${stop}; ${changedNothing ? 'static report unchanged' : 'remaining requests not sent'}`);
  for (const [reason, count] of client.failureCounts) {
    if (stop && reason === client.stopFailureReason) continue; // the stop warning says it
    warnings.push(`${count} LLM request(s) failed: ${reason}`);
  }
  const b = client.budget;
  if (b.requestsSkipped > 0) warnings.push(`LLM token budget of ${b.limit} tokens exhausted (${b.tokensUsed} used); ${b.requestsSkipped} request(s) not sent`);
  return warnings;
}
