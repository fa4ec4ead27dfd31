import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AUTH_OPTIONS, JwtAuthGuard } from './auth.guard';
import type { JwtVerifyOptions } from './jwt';

/**
 * Global: provides the {@link JwtAuthGuard} behind `@Authenticated`, `@RequirePermission` and
 * `@CurrentUser`. `AuthModule.forRoot(authOptionsFromConfig('POSITION_MONITOR', config))`. Uses the
 * app's `Clock` when one is provided globally.
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: JwtVerifyOptions): DynamicModule {
    return {
      module: AuthModule,
      providers: [{ provide: AUTH_OPTIONS, useValue: options }, JwtAuthGuard],
      exports: [AUTH_OPTIONS, JwtAuthGuard],
    };
  }
}
