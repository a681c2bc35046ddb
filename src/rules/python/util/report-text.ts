/** Wording shared by several rules' messages. */
import type { SecretKind } from '../../../core/sensitive-names.js';

/** Shows a secret literal without disclosing it: `"hu…"` (length n). */
export function maskSecret(value: string): string {
  const shown = value.length > 8 ? value.slice(0, 2) : value.slice(0, 1);
  return `"${shown}…" (${value.length} chars)`;
}

export function secretNoun(kind: SecretKind): string {
  switch (kind) {
    case 'password':
      return 'a password';
    case 'crypto-key':
      return 'a cryptographic key';
    case 'token':
      return 'a token';
    case 'secret':
      return 'a secret';
  }
}

export function secretCwes(kind: SecretKind): number[] {
  if (kind === 'password') return [259, 798];
  if (kind === 'crypto-key') return [321, 798];
  return [798];
}
