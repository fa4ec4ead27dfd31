import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { type AuthenticatedRequest, type AuthUser, JwtAuthGuard, REQUIRED_PERMISSIONS } from './auth.guard';

/** Any valid token: on a controller class or a handler. */
export const Authenticated = (): MethodDecorator & ClassDecorator => UseGuards(JwtAuthGuard);

/** A valid token holding every permission given (merged with those on the class): `@RequirePermission('dq:admin')`. */
export const RequirePermission = (...permissions: readonly string[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(REQUIRED_PERMISSIONS, permissions), UseGuards(JwtAuthGuard));

/** The authenticated caller, in a handler guarded by `@Authenticated` or `@RequirePermission`. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().authUser;
  if (!user) throw new Error('CurrentUser used on a handler without @Authenticated or @RequirePermission');
  return user;
});
