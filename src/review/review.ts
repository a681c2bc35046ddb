/** `redline review`: placeholder until the change-review pipeline lands. */
import type { ModuleIR } from '../ir/types.js';
import type { ScanResult } from '../core/result.js';
import type { RedlineConfig } from '../config/config.js';

export interface ReviewOptions {
  repo: string;
  base?: string;
  staged: boolean;
  diff?: string;
  config: RedlineConfig;
  exclude: string[];
}

export async function runReview(_opts: ReviewOptions): Promise<{ result: ScanResult; modules: Map<string, ModuleIR> }> {
  throw new Error('redline review is not available yet');
}
