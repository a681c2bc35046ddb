/** All Python pattern rules, grouped by topic. */
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
import { certValidationDisabled } from './cert-validation-disabled.js';
import { sshHostKeyNotVerified } from './ssh-host-key-not-verified.js';
import { weakTlsProtocol } from './weak-tls-protocol.js';
import { bindAllInterfaces } from './bind-all-interfaces.js';
import { requestWithoutTimeout } from './request-without-timeout.js';
import { permissiveFileMode } from './permissive-file-mode.js';
import { insecureTempFile } from './insecure-temp-file.js';
import { toctou } from './toctou.js';
import { unsafeArchiveExtraction } from './unsafe-archive-extraction.js';
import { partialExecutablePath } from './partial-executable-path.js';
import { debugEnabled } from './debug-enabled.js';
import { jinjaAutoescapeDisabled } from './jinja-autoescape-disabled.js';
import { insecureCookie } from './insecure-cookie.js';
import { csrfProtectionDisabled } from './csrf-protection-disabled.js';
import { allowedHostsWildcard } from './allowed-hosts-wildcard.js';
import { jwtWithoutVerification } from './jwt-without-verification.js';
import { corsWildcardCredentials } from './cors-wildcard-credentials.js';
import { swallowedException } from './swallowed-exception.js';
import { exceptionExposure } from './exception-exposure.js';
import { assertAuthorization } from './assert-authorization.js';
import { cleartextTransmission } from './cleartext-transmission.js';

export const pythonPatternRules: PatternRule[] = [
  cleartextTransmission,
  // secrets
  hardcodedCredentials,
  hardcodedSecretKey,
  // cryptography
  weakHash,
  passwordHashWithoutKdf,
  weakCipher,
  weakKeySize,
  staticIv,
  staticSalt,
  insecureRandom,
  // TLS and network
  certValidationDisabled,
  sshHostKeyNotVerified,
  weakTlsProtocol,
  bindAllInterfaces,
  requestWithoutTimeout,
  // files and processes
  permissiveFileMode,
  insecureTempFile,
  toctou,
  unsafeArchiveExtraction,
  partialExecutablePath,
  // web frameworks
  debugEnabled,
  jinjaAutoescapeDisabled,
  insecureCookie,
  csrfProtectionDisabled,
  allowedHostsWildcard,
  jwtWithoutVerification,
  corsWildcardCredentials,
  // error handling
  swallowedException,
  exceptionExposure,
  assertAuthorization,
];
