/**
 * Prints a signed JWT for the demo and manual calls:
 * `pnpm token:mint --sub alice --permissions positions:read,positions:write [--expires-in 3600]`.
 * Signs HS256 with `TLP_AUTH_JWT_SECRET` when set, else with the public dev secret.
 */
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET } from '../src/auth/auth.config';
import { mintToken } from '../src/auth/mint-token';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    permissions: { type: 'string', default: '' },
    'expires-in': { type: 'string', default: '3600' },
  },
});
if (!values.sub) {
  process.stderr.write('usage: pnpm token:mint --sub <user id> --permissions a,b [--expires-in seconds]\n');
  process.exit(2);
}
const secret = process.env['TLP_AUTH_JWT_SECRET'] ?? DEV_JWT_SECRET;
const permissions = values.permissions.split(',').map((p) => p.trim()).filter((p) => p !== '');
process.stdout.write(
  `${mintToken({ sub: values.sub, permissions, expiresInSeconds: Number(values['expires-in']), key: { algorithm: 'HS256', secret } })}\n`,
);
