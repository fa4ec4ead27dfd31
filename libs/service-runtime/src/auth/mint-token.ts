import { DEV_JWT_SECRET } from './auth.config';
import { type SigningKey, signJwt } from './jwt';

export interface MintTokenOptions {
  readonly sub: string;
  readonly permissions: readonly string[];
  /** Default: HS256 with {@link DEV_JWT_SECRET}. */
  readonly key?: SigningKey;
  readonly now?: Date;
  /** Default 3600. */
  readonly expiresInSeconds?: number;
  readonly issuer?: string;
  readonly audience?: string;
}

/** A signed token for tests and the demo (`pnpm token:mint --sub alice --permissions positions:read`). */
export function mintToken(options: MintTokenOptions): string {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims: Record<string, unknown> = {
    sub: options.sub,
    permissions: [...options.permissions],
    iat,
    exp: iat + (options.expiresInSeconds ?? 3600),
  };
  if (options.issuer !== undefined) claims['iss'] = options.issuer;
  if (options.audience !== undefined) claims['aud'] = options.audience;
  return signJwt(claims, options.key ?? { algorithm: 'HS256', secret: DEV_JWT_SECRET });
}
