import { Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { ReadinessRegistry } from '../health/readiness.registry';
import { redactUrlCredentials } from '../logging/redaction';

/** Registers the `database` readiness check (`select 1`) when the app has a {@link ReadinessRegistry}. */
@Injectable()
export class DatabaseReadiness implements OnModuleInit {
  constructor(
    private readonly orm: MikroORM,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness?.register('database', () => this.selectOne());
  }

  private async selectOne(): Promise<{ ok: boolean; detail?: string }> {
    try {
      await this.orm.em.getConnection().execute('select 1');
      return { ok: true };
    } catch (error) {
      return {
        ok: false,
        detail: redactUrlCredentials(error instanceof Error ? error.message : String(error)),
      };
    }
  }
}
