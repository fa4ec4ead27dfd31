import { createHmac, createPublicKey, createSign, createVerify, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Compact JWS (RFC 7515/7519) over node:crypto: HS256 with a shared secret or RS256 with a public
 * key. Only the algorithm configured is accepted (the header's `alg` never chooses the key type, so
 * `none` and HS256-signed-with-the-public-key tokens are refused). `exp` is required; `nbf` and
 * `iat` are honoured; `iss` and `aud` are checked when configured.
 */

/** The claims the platform reads. `permissions` such as `positions:read`, `dq:admin`. */
export interface AuthClaims {
  readonly sub: string;
  readonly permissions: readonly string[];
  readonly exp: number;
  readonly iat?: number;
  readonly nbf?: number;
  readonly iss?: string;
  readonly aud?: string | readonly string[];
}

export type JwtKey =
  | { readonly algorithm: 'HS256'; readonly secret: string }
  | { readonly algorithm: 'RS256'; readonly publicKey: string | KeyObject };

export interface JwtVerifyOptions {
  readonly key: JwtKey;
  readonly issuer?: string;
  readonly audience?: string;
  /** Accepted clock difference, seconds. Default 30. */
  readonly clockToleranceSeconds?: number;
}

export type JwtRejection =
  | 'MALFORMED'
  | 'UNSUPPORTED_ALGORITHM'
  | 'BAD_SIGNATURE'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'WRONG_ISSUER'
  | 'WRONG_AUDIENCE'
  | 'INVALID_CLAIMS';

export type JwtVerification =
  | { readonly ok: true; readonly claims: AuthClaims }
  | { readonly ok: false; readonly reason: JwtRejection };

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkSignature(key: JwtKey, signingInput: string, signature: Buffer): boolean {
  if (key.algorithm === 'HS256') {
    const expected = createHmac('sha256', key.secret).update(signingInput).digest();
    return expected.length === signature.length && timingSafeEqual(expected, signature);
  }
  const publicKey = typeof key.publicKey === 'string' ? createPublicKey(key.publicKey) : key.publicKey;
  return createVerify('RSA-SHA256').update(signingInput).verify(publicKey, signature);
}

function parseClaims(payload: Record<string, unknown>): AuthClaims | undefined {
  const { sub, permissions, exp, iat, nbf, iss, aud } = payload;
  if (typeof sub !== 'string' || sub.trim() === '') return undefined;
  if (!Array.isArray(permissions) || !permissions.every((p) => typeof p === 'string')) return undefined;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return undefined;
  if (iat !== undefined && typeof iat !== 'number') return undefined;
  if (nbf !== undefined && typeof nbf !== 'number') return undefined;
  if (iss !== undefined && typeof iss !== 'string') return undefined;
  const audOk = aud === undefined || typeof aud === 'string' || (Array.isArray(aud) && aud.every((a) => typeof a === 'string'));
  if (!audOk) return undefined;
  return { ...(payload as unknown as AuthClaims), permissions: [...permissions] };
}

function checkTimeAndScope(claims: AuthClaims, options: JwtVerifyOptions, nowSeconds: number): JwtRejection | undefined {
  const tolerance = options.clockToleranceSeconds ?? 30;
  if (claims.exp <= nowSeconds - tolerance) return 'EXPIRED';
  if (claims.nbf !== undefined && claims.nbf > nowSeconds + tolerance) return 'NOT_YET_VALID';
  if (options.issuer !== undefined && claims.iss !== options.issuer) return 'WRONG_ISSUER';
  if (options.audience !== undefined) {
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
    if (!audiences.includes(options.audience)) return 'WRONG_AUDIENCE';
  }
  return undefined;
}

/** Verifies a compact JWT at `now`; returns its claims or why it is refused. Never throws. */
export function verifyJwt(token: string, options: JwtVerifyOptions, now: Date): JwtVerification {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return { ok: false, reason: 'MALFORMED' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  if (!isRecord(header) || !isRecord(payload)) return { ok: false, reason: 'MALFORMED' };
  if (header['alg'] !== options.key.algorithm) return { ok: false, reason: 'UNSUPPORTED_ALGORITHM' };
  let signed: boolean;
  try {
    signed = checkSignature(options.key, `${headerPart}.${payloadPart}`, Buffer.from(signaturePart, 'base64url'));
  } catch {
    signed = false;
  }
  if (!signed) return { ok: false, reason: 'BAD_SIGNATURE' };
  const claims = parseClaims(payload);
  if (!claims) return { ok: false, reason: 'INVALID_CLAIMS' };
  const refused = checkTimeAndScope(claims, options, Math.floor(now.getTime() / 1000));
  return refused ? { ok: false, reason: refused } : { ok: true, claims };
}

export type SigningKey =
  | { readonly algorithm: 'HS256'; readonly secret: string }
  | { readonly algorithm: 'RS256'; readonly privateKey: string | KeyObject };

/** Signs claims into a compact JWT (tests, the demo, `pnpm token:mint`). */
export function signJwt(claims: Record<string, unknown>, key: SigningKey): string {
  const signingInput = `${b64url(JSON.stringify({ alg: key.algorithm, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  if (key.algorithm === 'HS256') {
    return `${signingInput}.${b64url(createHmac('sha256', key.secret).update(signingInput).digest())}`;
  }
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key.privateKey);
  return `${signingInput}.${b64url(signature)}`;
}
