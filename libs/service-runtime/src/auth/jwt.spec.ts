import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { DEV_JWT_SECRET, authEnvFields, authOptionsFromConfig } from './auth.config';
import { signJwt, verifyJwt, type JwtVerifyOptions } from './jwt';
import { mintToken } from './mint-token';
import { ConfigError, loadConfig } from '../config/config';
import { z } from 'zod';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const NOW = new Date('2026-03-02T15:00:00Z');
const nowS = NOW.getTime() / 1000;
const hs: JwtVerifyOptions = { key: { algorithm: 'HS256', secret: SECRET } };
const claims = { sub: 'alice', permissions: ['positions:read'], iat: nowS, exp: nowS + 60 };

describe('verifyJwt', () => {
  it('accepts an HS256 token and returns its claims', () => {
    const result = verifyJwt(signJwt(claims, { algorithm: 'HS256', secret: SECRET }), hs, NOW);
    expect(result).toEqual({ ok: true, claims });
  });

  it('accepts an RS256 token with the public key and refuses one signed by another key', () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs: JwtVerifyOptions = { key: { algorithm: 'RS256', publicKey: pair.publicKey } };
    expect(verifyJwt(signJwt(claims, { algorithm: 'RS256', privateKey: pair.privateKey }), rs, NOW).ok).toBe(true);
    expect(verifyJwt(signJwt(claims, { algorithm: 'RS256', privateKey: other.privateKey }), rs, NOW)).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it('refuses a token whose payload was changed after signing', () => {
    const [h, , s] = signJwt(claims, { algorithm: 'HS256', secret: SECRET }).split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'bob' })).toString('base64url');
    expect(verifyJwt(`${h}.${forged}.${s}`, hs, NOW)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('refuses a wrong secret, alg none and an algorithm other than the configured one', () => {
    expect(verifyJwt(signJwt(claims, { algorithm: 'HS256', secret: `${SECRET}x` }), hs, NOW).ok).toBe(false);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    expect(verifyJwt(none, hs, NOW)).toEqual({ ok: false, reason: 'UNSUPPORTED_ALGORITHM' });
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    // HS256 signed with the public key's text must not pass an RS256 verifier
    const confused = signJwt(claims, { algorithm: 'HS256', secret: pem });
    expect(verifyJwt(confused, { key: { algorithm: 'RS256', publicKey: pem } }, NOW)).toEqual({
      ok: false,
      reason: 'UNSUPPORTED_ALGORITHM',
    });
  });

  it('refuses malformed tokens', () => {
    for (const token of ['', 'abc', 'a.b', 'a.b.c.d', '!!.!!.!!', 'e30.e30.']) {
      expect(verifyJwt(token, hs, NOW).ok).toBe(false);
    }
  });

  it('checks exp, nbf with 30 s tolerance, issuer and audience', () => {
    const sign = (extra: object) => signJwt({ ...claims, ...extra }, { algorithm: 'HS256', secret: SECRET });
    expect(verifyJwt(sign({ exp: nowS - 31 }), hs, NOW)).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(verifyJwt(sign({ exp: nowS - 29 }), hs, NOW).ok).toBe(true);
    expect(verifyJwt(sign({ nbf: nowS + 31 }), hs, NOW)).toEqual({ ok: false, reason: 'NOT_YET_VALID' });
    const scoped = { ...hs, issuer: 'tlp', audience: 'position-monitor' };
    expect(verifyJwt(sign({ iss: 'other', aud: 'position-monitor' }), scoped, NOW)).toEqual({ ok: false, reason: 'WRONG_ISSUER' });
    expect(verifyJwt(sign({ iss: 'tlp', aud: ['data-quality'] }), scoped, NOW)).toEqual({ ok: false, reason: 'WRONG_AUDIENCE' });
    expect(verifyJwt(sign({ iss: 'tlp', aud: ['data-quality', 'position-monitor'] }), scoped, NOW).ok).toBe(true);
  });

  it('requires sub, a permissions array of strings and exp', () => {
    const sign = (payload: Record<string, unknown>) => signJwt(payload, { algorithm: 'HS256', secret: SECRET });
    const { exp: _exp, ...noExp } = claims;
    for (const payload of [{ ...claims, sub: '' }, { ...claims, permissions: 'positions:read' }, { ...claims, permissions: [1] }, noExp]) {
      expect(verifyJwt(sign(payload), hs, NOW)).toEqual({ ok: false, reason: 'INVALID_CLAIMS' });
    }
  });
});

describe('mintToken', () => {
  it('mints a dev-secret token valid for an hour by default', () => {
    const token = mintToken({ sub: 'bob', permissions: ['dq:admin'], now: NOW });
    const dev: JwtVerifyOptions = { key: { algorithm: 'HS256', secret: DEV_JWT_SECRET } };
    expect(verifyJwt(token, dev, NOW)).toEqual({
      ok: true,
      claims: { sub: 'bob', permissions: ['dq:admin'], iat: nowS, exp: nowS + 3600 },
    });
    expect(verifyJwt(token, dev, new Date(NOW.getTime() + 3631_000))).toEqual({ ok: false, reason: 'EXPIRED' });
  });
});

describe('authEnvFields and authOptionsFromConfig', () => {
  const Schema = z.object({ ...authEnvFields('APP') });

  it('falls back to the dev secret outside production and refuses that in production', () => {
    const config = loadConfig(Schema, {});
    expect(authOptionsFromConfig('APP', config, 'development').key).toEqual({ algorithm: 'HS256', secret: DEV_JWT_SECRET });
    expect(() => authOptionsFromConfig('APP', config, 'production')).toThrow(ConfigError);
    expect(() => authOptionsFromConfig('APP', config, 'production')).toThrow(/APP_AUTH_JWT_SECRET: required when NODE_ENV=production/);
  });

  it('uses the configured secret, issuer and audience, and prefers a public key', () => {
    const config = loadConfig(Schema, { APP_AUTH_JWT_SECRET: SECRET, APP_AUTH_JWT_ISSUER: 'tlp', APP_AUTH_JWT_AUDIENCE: 'app' });
    expect(authOptionsFromConfig('APP', config, 'production')).toEqual({
      key: { algorithm: 'HS256', secret: SECRET },
      issuer: 'tlp',
      audience: 'app',
    });
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const withKey = loadConfig(Schema, { APP_AUTH_JWT_SECRET: SECRET, APP_AUTH_JWT_PUBLIC_KEY: pem.replace(/\n/g, '\\n') });
    expect(authOptionsFromConfig('APP', withKey).key).toEqual({ algorithm: 'RS256', publicKey: pem });
  });

  it('reports a short secret and a bad key without echoing them', () => {
    expect(() => loadConfig(Schema, { APP_AUTH_JWT_SECRET: 'short', APP_AUTH_JWT_PUBLIC_KEY: 'not-a-key' })).toThrow(
      'Invalid configuration, 2 problems:\n' +
        '  APP_AUTH_JWT_SECRET: expected at least 32 characters\n' +
        '  APP_AUTH_JWT_PUBLIC_KEY: expected an RSA public key in PEM',
    );
  });
});
