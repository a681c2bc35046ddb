/** ajv set up for the two schemas the report tests validate against. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// dist/test/report -> repository root
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function loadJson(relative: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO_ROOT, relative), 'utf8')) as Record<string, unknown>;
}

function compile(relative: string): ValidateFunction {
  // The OASIS SARIF schema uses keywords ajv's strict mode rejects (e.g. "default" beside "$ref").
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(loadJson(relative));
}

export const validateSarif = compile('test/schemas/sarif-schema-2.1.0.json');
export const validateReportJson = compile('docs/report-schema.json');

export function errorsOf(validate: ValidateFunction): string {
  return JSON.stringify(validate.errors, null, 2);
}
