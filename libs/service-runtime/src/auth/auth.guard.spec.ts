import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Clock, FixedClock } from '../time/clock';
import { Authenticated, CurrentUser, RequirePermission } from './auth.decorators';
import type { AuthUser } from './auth.guard';
import { AuthModule } from './auth.module';
import { mintToken } from './mint-token';

const SECRET = 'guard-test-secret-0123456789-0123456789';
const NOW = new Date('2026-03-02T15:00:00Z');

@Controller('things')
@RequirePermission('things:read')
class ThingsController {
  @Get()
  list(@CurrentUser() user: AuthUser): AuthUser {
    return user;
  }

  @Get('admin')
  @RequirePermission('things:admin', 'things:write')
  admin(@CurrentUser() user: AuthUser): { userId: string } {
    return { userId: user.userId };
  }
}

@Controller('me')
@Authenticated()
class MeController {
  @Get()
  me(@CurrentUser() user: AuthUser): string {
    return user.userId;
  }
}

@Controller('open')
class OpenController {
  @Get()
  open(): string {
    return 'open';
  }
}

describe('JwtAuthGuard with @RequirePermission and @CurrentUser', () => {
  let app: NestFastifyApplication;
  const token = (permissions: string[], sub = 'alice') =>
    mintToken({ sub, permissions, now: NOW, key: { algorithm: 'HS256', secret: SECRET } });
  const get = (url: string, authorization?: string) =>
    app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot({ key: { algorithm: 'HS256', secret: SECRET } })],
      controllers: [ThingsController, MeController, OpenController],
      providers: [{ provide: Clock, useValue: new FixedClock(NOW) }],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app.close();
  });

  it('gives the caller to the handler', async () => {
    const response = await get('/things', `Bearer ${token(['things:read', 'other'])}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ userId: 'alice', permissions: ['things:read', 'other'] });
    expect((await get('/me', `bearer ${token([], 'bob')}`)).body).toBe('bob');
  });

  it('answers 401 without a token, with a malformed header or an invalid token', async () => {
    for (const header of [undefined, 'Basic abc', 'Bearer', `Bearer ${token(['things:read'])}x`]) {
      const response = await get('/things', header);
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.json<{ error: string }>().error).toBe('UNAUTHENTICATED');
    }
    expect((await get('/things')).json()).toMatchObject({ message: 'missing Authorization: Bearer token' });
    const expired = mintToken({ sub: 'alice', permissions: ['things:read'], now: new Date(NOW.getTime() - 7200_000), key: { algorithm: 'HS256', secret: SECRET } });
    expect((await get('/things', `Bearer ${expired}`)).json()).toMatchObject({ message: 'invalid token: EXPIRED' });
    const devSigned = mintToken({ sub: 'alice', permissions: ['things:read'], now: NOW });
    expect((await get('/things', `Bearer ${devSigned}`)).json()).toMatchObject({ message: 'invalid token: BAD_SIGNATURE' });
  });

  it('answers 403 naming every missing permission, class and handler merged', async () => {
    const none = await get('/things', `Bearer ${token(['other'])}`);
    expect(none.statusCode).toBe(403);
    expect(none.json()).toEqual({ error: 'FORBIDDEN', message: 'missing permission things:read', missingPermissions: ['things:read'] });
    const partial = await get('/things/admin', `Bearer ${token(['things:read', 'things:write'])}`);
    expect(partial.statusCode).toBe(403);
    expect(partial.json()).toMatchObject({ missingPermissions: ['things:admin'] });
    const full = await get('/things/admin', `Bearer ${token(['things:read', 'things:write', 'things:admin'])}`);
    expect(full.statusCode).toBe(200);
  });

  it('leaves unguarded routes alone', async () => {
    expect((await get('/open')).statusCode).toBe(200);
  });
});
