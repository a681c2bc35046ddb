/** All Python pattern rules. */
import type { PatternRule } from '../types.js';
import { hardcodedCredentials } from './hardcoded-credentials.js';
import { hardcodedSecretKey } from './hardcoded-secret-key.js';
import { weakHash } from './weak-hash.js';
import { passwordHashWithoutKdf } from './password-hash-without-kdf.js';
import { weakCipher } from './weak-cipher.js';
import { weakKeySize } from './weak-key-size.js';
import { staticIv } from './static-iv.js';
import { staticSalt } from './static-salt.js';
import { insecureRandom } from './insecure-random.js';

export const pythonPatternRules: PatternRule[] = [
  hardcodedCredentials,
  hardcodedSecretKey,
  weakHash,
  passwordHashWithoutKdf,
  weakCipher,
  weakKeySize,
  staticIv,
  staticSalt,
  insecureRandom,
];
