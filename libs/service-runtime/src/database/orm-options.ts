import { DecimalType, type MetadataStorage, type MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { type Options, PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

export interface DatabaseOptions {
  /** Service name; keys the migration advisory lock (`<service>-migrations`). */
  readonly service: string;
  /** `postgresql://user:password@host:port/database`. */
  readonly clientUrl: string;
  /** Entity classes or `EntitySchema`s, listed explicitly. */
  readonly entities: NonNullable<Options['entities']>;
  /**
   * Every migration in order, by explicit name (never the class name, which a bundler may
   * mangle) so a compiled bundle needs no migration folder.
   */
  readonly migrations: readonly MigrationObject[];
  /** PostgreSQL schema owned by the service: entities default to it and it leads `search_path`. */
  readonly schema?: string;
  /** Logs every query at debug level. */
  readonly debug?: boolean;
  /** Upper bound of the connection pool. Default 10. */
  readonly poolMax?: number;
  /** Receives MikroORM's own lines (at debug level). */
  readonly logger?: Logger;
}

/**
 * MikroORM options for the PostgreSQL driver, shared by the Nest module and the migrate command.
 * Timestamps are read and written as UTC; `numeric` values stay strings (pg's default parser, and
 * a discovery check refuses an entity that maps a decimal column to a JS number).
 */
export function databaseOrmOptions(options: DatabaseOptions): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl: options.clientUrl,
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    entities: [...options.entities],
    extensions: [Migrator],
    forceUtcTimezone: true,
    // A missing database is a deployment error to report, not something to create on the fly.
    ensureDatabase: false,
    debug: options.debug ?? false,
    pool: { min: 0, max: options.poolMax ?? 10 },
    ...(options.schema === undefined ? {} : { driverOptions: { searchPath: [options.schema, 'public'] } }),
    ...(options.logger ? { logger: loggerWriter(options.logger), colors: false } : {}),
    // A service may keep all its state in plain SQL tables (no entities), as data-quality's projections do.
    discovery: { afterDiscovered: refuseNumberDecimals, warnWhenNoEntities: false },
    migrations: {
      migrationsList: [...options.migrations],
      transactional: true,
      allOrNothing: true,
      // The snapshot is a file written beside migrations at runtime; compiled images have none.
      snapshot: false,
      silent: true,
    },
  };
}

function loggerWriter(logger: Logger): (message: string) => void {
  const child = logger.child({ component: 'mikro-orm' });
  return (message) => child.debug(message);
}

/** Refuses any decimal property read as a JS `number`: money and quantities must never lose precision. */
export function refuseNumberDecimals(storage: MetadataStorage): void {
  for (const meta of Object.values(storage.getAll())) {
    for (const prop of meta.props) {
      if (prop.customType instanceof DecimalType && prop.customType.compareAsType() === 'number') {
        throw new Error(
          `${meta.className}.${prop.name} maps a decimal column to a number; declare it as a string (runtimeType: 'string')`,
        );
      }
    }
  }
}
