import { afterEach, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HealthModule } from '../health/health.module';
import { createLogger } from '../logging/logger';
import { createHttpApp, listen } from './http-app';

describe('createHttpApp', () => {
  let app: NestFastifyApplication | undefined;

  afterEach(async () => {
    await app?.close();
  });

  it('builds a Fastify app that logs JSON through pino and serves once listening', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      service: 'executor',
      destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    app = await createHttpApp(HealthModule, { logger });
    expect(app.getHttpAdapter().getType()).toBe('fastify');

    const url = await listen(app, 0, '127.0.0.1');
    const response = await fetch(`${url}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(lines).toContainEqual(
      expect.objectContaining({
        service: 'executor',
        component: 'nest',
        context: 'RoutesResolver',
        level: 'info',
      }),
    );
  });
});
