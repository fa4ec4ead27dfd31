import { MikroORM } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import type { Logger } from 'pino';
import { exitOnConfigError } from '../config/config';
import { createLogger } from '../logging/logger';
import { type DatabaseOptions, databaseOrmOptions } from './orm-options';

/** The slice of knex's client used to hold one pooled pg session (same settings as the ORM's). */
interface KnexPool {
  acquireConnection(): Promise<ClientBase>;
  releaseConnection(connection: ClientBase): Promise<void>;
}

export interface RunMigrationsOptions {
  /** Keys the advisory lock: replicas of one service serialise, different services do not. */
  readonly service: string;
  readonly logger?: Logger;
}

export interface MigrationRun {
  /** Names of the migrations this call applied; empty when another replica had applied them. */
  readonly applied: readonly string[];
}

/**
 * Applies pending migrations while holding `pg_advisory_lock(hashtext('<service>-migrations'))` on
 * a connection of its own, so replicas starting together migrate once: the others wait, then find
 * nothing pending. All pending migrations run in one transaction. The lock is a session lock, so
 * a crash releases it with the connection.
 */
export async function runMigrations(orm: MikroORM, options: RunMigrationsOptions): Promise<MigrationRun> {
  const lockKey = `${options.service}-migrations`;
  const pool = orm.em.getConnection().getKnex().client as KnexPool;
  const session = await pool.acquireConnection();
  try {
    await session.query('select pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      const applied = (await orm.getMigrator().up()).map((migration) => migration.name);
      options.logger?.info({ applied }, applied.length > 0 ? 'migrations applied' : 'no pending migrations');
      return { applied };
    } finally {
      await session.query('select pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  } finally {
    await pool.releaseConnection(session);
  }
}

/**
 * Body of an app's `migrate` command (a Helm pre-install Job, or by hand): builds the options
 * (a `ConfigError` prints its list and exits 1), applies pending migrations, closes the pool.
 * Any other failure is logged and sets exit code 1.
 *
 * ```ts
 * // apps/executor/src/migrate.ts
 * void runMigrationsCli(() => executorDatabaseOptions(loadConfig(ExecutorConfig)));
 * ```
 */
export async function runMigrationsCli(
  configFactory: () => DatabaseOptions | Promise<DatabaseOptions>,
): Promise<void> {
  const options = await exitOnConfigError(configFactory);
  const logger = options.logger ?? createLogger({ service: options.service });
  let orm: MikroORM | undefined;
  try {
    orm = await MikroORM.init(databaseOrmOptions({ ...options, logger }));
    await runMigrations(orm, { service: options.service, logger });
  } catch (error) {
    logger.fatal({ err: error }, 'migrations failed');
    process.exitCode = 1;
  } finally {
    await orm?.close(true);
  }
}
