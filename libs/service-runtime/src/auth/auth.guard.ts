import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Clock, SystemClock } from '../time/clock';
import { type JwtVerifyOptions, verifyJwt } from './jwt';

/** Injection token of the verifier options given to `AuthModule.forRoot`. */
export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
/** Metadata key of the permissions `@RequirePermission` demands. */
export const REQUIRED_PERMISSIONS = 'tlp:required-permissions';

/** The caller of a request, from a verified token: `sub` and `permissions`. */
export interface AuthUser {
  readonly userId: string;
  readonly permissions: readonly string[];
}

export interface AuthenticatedRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  authUser?: AuthUser;
}

interface HeaderReply {
  header(name: string, value: string): unknown;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * 401 `UNAUTHENTICATED` without a valid `Authorization: Bearer <JWT>` (the reason, never the token,
 * is in the body), 403 `FORBIDDEN` naming each missing permission; otherwise sets
 * `request.authUser`. Permissions come from `@RequirePermission` on the handler and its class.
 * Injection tokens are explicit so the guard also works where no decorator metadata is emitted
 * (tsx/esbuild scripts such as the benchmarks).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AUTH_OPTIONS) private readonly options: JwtVerifyOptions,
    @Optional() @Inject(Clock) private readonly clock: Clock = new SystemClock(),
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const user = this.authenticate(request, http.getResponse<HeaderReply>());
    const required = this.reflector.getAllAndMerge<string[]>(REQUIRED_PERMISSIONS, [
      context.getHandler(),
      context.getClass(),
    ]);
    const missing = [...new Set(required)].filter((p) => !user.permissions.includes(p));
    if (missing.length > 0) {
      throw new ForbiddenException({
        error: 'FORBIDDEN',
        message: `missing permission ${missing.join(', ')}`,
        missingPermissions: missing,
      });
    }
    request.authUser = user;
    return true;
  }

  private authenticate(request: AuthenticatedRequest, reply: HeaderReply): AuthUser {
    const raw = request.headers['authorization'];
    const match = typeof raw === 'string' ? BEARER.exec(raw) : null;
    const refuse = (message: string): never => {
      reply.header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException({ error: 'UNAUTHENTICATED', message });
    };
    if (!match?.[1]) return refuse('missing Authorization: Bearer token');
    const verified = verifyJwt(match[1], this.options, this.clock.now());
    if (!verified.ok) return refuse(`invalid token: ${verified.reason}`);
    return { userId: verified.claims.sub, permissions: verified.claims.permissions };
  }
}
