import { MikroOrmModule } from '@mikro-orm/nestjs';
import { MikroORM } from '@mikro-orm/postgresql';
import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseReadiness } from './database-readiness';
import { type MigrationRun, runMigrations } from './migrations';
import { type DatabaseOptions, databaseOrmOptions } from './orm-options';

export interface DatabaseModuleOptions extends DatabaseOptions {
  /**
   * Apply pending migrations while the app starts (under the advisory lock). Default: true unless
   * `NODE_ENV` is `production`, where the `migrate` command runs them before the rollout.
   */
  readonly applyMigrationsAtStart?: boolean;
}

/** Resolves once start-up migrations are done (or skipped); `null` when skipped. */
export const MIGRATIONS_AT_START = Symbol('MIGRATIONS_AT_START');

/**
 * MikroORM on PostgreSQL for one service. Provides `MikroORM` and `EntityManager` globally,
 * registers the `database` readiness check and, if asked, migrates before any `onModuleInit`
 * hook runs (an async provider is resolved while the module graph is built, before hooks).
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    const migrate = options.applyMigrationsAtStart ?? process.env.NODE_ENV !== 'production';
    return {
      module: DatabaseModule,
      imports: [MikroOrmModule.forRoot(databaseOrmOptions(options))],
      providers: [
        {
          provide: MIGRATIONS_AT_START,
          useFactory: (orm: MikroORM): Promise<MigrationRun | null> =>
            migrate
              ? runMigrations(orm, {
                  service: options.service,
                  ...(options.logger && { logger: options.logger }),
                })
              : Promise.resolve(null),
          inject: [MikroORM],
        },
        DatabaseReadiness,
      ],
      exports: [MIGRATIONS_AT_START],
    };
  }
}
