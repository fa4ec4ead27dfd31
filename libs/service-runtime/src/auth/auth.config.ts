import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../config/config';
import type { JwtVerifyOptions } from './jwt';

/**
 * The HS256 secret used when an app's `<PREFIX>_AUTH_JWT_SECRET` and `<PREFIX>_AUTH_JWT_PUBLIC_KEY`
 * are both unset, so a local stack and the demo work without setup. Public by design: refused when
 * `NODE_ENV=production`.
 */
export const DEV_JWT_SECRET = 'tlp-dev-only-jwt-secret-never-use-in-production';

const MIN_SECRET_LENGTH = 32;

type OptionalText = z.ZodType<string | undefined, string | undefined>;

export type AuthEnvName<P extends string> =
  | `${P}_AUTH_JWT_SECRET`
  | `${P}_AUTH_JWT_PUBLIC_KEY`
  | `${P}_AUTH_JWT_ISSUER`
  | `${P}_AUTH_JWT_AUDIENCE`;

/** The parsed auth settings of an app config, as produced by {@link authEnvFields}. */
export type AuthEnv<P extends string> = { readonly [K in AuthEnvName<P>]?: string | undefined };

const secretField: OptionalText = z
  .string()
  .optional()
  .refine((text) => text === undefined || text.trim().length >= MIN_SECRET_LENGTH, {
    message: `expected at least ${MIN_SECRET_LENGTH} characters`,
  });

/** A PEM public key; `\n` written literally (one-line env files) is accepted. */
const publicKeyField: OptionalText = z
  .string()
  .optional()
  .transform((text) => text?.replace(/\\n/g, '\n'))
  .refine(
    (pem) => {
      if (pem === undefined) return true;
      try {
        return createPublicKey(pem).asymmetricKeyType === 'rsa';
      } catch {
        return false;
      }
    },
    { message: 'expected an RSA public key in PEM' },
  );

/**
 * Zod fields to spread into an app's config schema:
 * `z.object({ ...authEnvFields('POSITION_MONITOR'), ... })` adds `POSITION_MONITOR_AUTH_JWT_SECRET`
 * (HS256, at least 32 characters), `..._AUTH_JWT_PUBLIC_KEY` (RS256, PEM; wins over the secret),
 * `..._AUTH_JWT_ISSUER` and `..._AUTH_JWT_AUDIENCE` (checked when set). Values are never echoed.
 */
export function authEnvFields<P extends string>(prefix: P): { [K in AuthEnvName<P>]: OptionalText } {
  return {
    [`${prefix}_AUTH_JWT_SECRET`]: secretField,
    [`${prefix}_AUTH_JWT_PUBLIC_KEY`]: publicKeyField,
    [`${prefix}_AUTH_JWT_ISSUER`]: z.string().optional(),
    [`${prefix}_AUTH_JWT_AUDIENCE`]: z.string().optional(),
  } as { [K in AuthEnvName<P>]: OptionalText };
}

/**
 * Turns the parsed fields into verifier options. With neither a secret nor a public key it falls
 * back to {@link DEV_JWT_SECRET}, except under `NODE_ENV=production` where it throws a
 * {@link ConfigError}.
 */
export function authOptionsFromConfig<P extends string>(
  prefix: P,
  config: AuthEnv<P>,
  nodeEnv: string | undefined = process.env['NODE_ENV'],
): JwtVerifyOptions {
  const get = (name: string): string | undefined => (config as Record<string, string | undefined>)[`${prefix}_${name}`];
  const publicKey = get('AUTH_JWT_PUBLIC_KEY');
  const secret = get('AUTH_JWT_SECRET');
  const scope = { issuer: get('AUTH_JWT_ISSUER'), audience: get('AUTH_JWT_AUDIENCE') };
  if (publicKey !== undefined) return { key: { algorithm: 'RS256', publicKey }, ...scope };
  if (secret !== undefined) return { key: { algorithm: 'HS256', secret: secret.trim() }, ...scope };
  if (nodeEnv === 'production') {
    const problem: ConfigProblem = {
      variable: `${prefix}_AUTH_JWT_SECRET`,
      problem: `required when NODE_ENV=production (or set ${prefix}_AUTH_JWT_PUBLIC_KEY)`,
    };
    throw new ConfigError([problem]);
  }
  return { key: { algorithm: 'HS256', secret: DEV_JWT_SECRET }, ...scope };
}
