import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { HealthModule } from '../health/health.module';
import { DatabaseModule, MIGRATIONS_AT_START } from './database.module';
import { type MigrationRun, runMigrations } from './migrations';
import { type DatabaseOptions, databaseOrmOptions } from './orm-options';

const url = process.env.TLP_TEST_PG_URL;
if (!url) {
  throw new Error(
    'TLP_TEST_PG_URL is not set: this suite needs a real PostgreSQL. Start it with `pnpm stack up`, then run ' +
      'the integration config, or `export TLP_TEST_PG_URL=$TLP_PG_ADMIN_URL` after `. .stack/stack.env`.',
  );
}

@Entity({ tableName: 'fill' })
class Fill {
  @PrimaryKey()
  id!: number;

  @Property({ type: 'decimal', precision: 20, scale: 8 })
  quantity!: string;
}

/** Slow on purpose, so a second replica arrives while the first still holds the lock. */
class Migration20261124000000CreateFill extends Migration {
  override up(): void {
    this.addSql('create table fill (id serial primary key, quantity numeric(20, 8) not null);');
    this.addSql('select pg_sleep(0.5);');
  }
}

// A schema and lock name of its own: runs of this suite never see each other's tables or locks.
const suffix = randomUUID().slice(0, 8);
const options: DatabaseOptions = {
  service: `runtime-int-${suffix}`,
  clientUrl: url,
  schema: `runtime_int_${suffix}`,
  entities: [Fill],
  migrations: [{ name: 'Migration20261124000000CreateFill', class: Migration20261124000000CreateFill }],
};

describe('DatabaseModule on PostgreSQL', () => {
  const admin = new Client({ connectionString: url });

  beforeAll(async () => {
    await admin.connect();
  });

  afterAll(async () => {
    await admin.query(`drop schema if exists ${options.schema} cascade`);
    await admin.end();
  });

  it('migrates once when two replicas start together: the second waits on the advisory lock', async () => {
    const replicas = await Promise.all([1, 2].map(() => MikroORM.init(databaseOrmOptions(options))));
    let sawWaiter = false;
    const watching = (async () => {
      for (let i = 0; i < 40 && !sawWaiter; i += 1) {
        const { rows } = await admin.query<{ n: number }>(
          `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
           and database = (select oid from pg_database where datname = current_database())`,
        );
        sawWaiter = (rows[0]?.n ?? 0) > 0;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    try {
      const runs: MigrationRun[] = await Promise.all(
        replicas.map((orm) => runMigrations(orm, { service: options.service })),
      );
      await watching;

      expect(runs.map((run) => run.applied).sort((a, b) => b.length - a.length)).toEqual([
        ['Migration20261124000000CreateFill'],
        [],
      ]);
      expect(sawWaiter).toBe(true);
      const { rows } = await admin.query<{ name: string }>(
        `select name from ${options.schema}.mikro_orm_migrations`,
      );
      expect(rows).toEqual([{ name: 'Migration20261124000000CreateFill' }]);
      // Only this database's advisory locks: suites running beside this one hold their own elsewhere.
      const locks = await admin.query(
        `select 1 from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`,
      );
      expect(locks.rowCount).toBe(0);
    } finally {
      await Promise.all(replicas.map((orm) => orm.close(true)));
    }
  });

  it('keeps decimals exact as strings, and reports the database ready', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [HealthModule.forRoot(), DatabaseModule.forRoot({ ...options, applyMigrationsAtStart: true })],
    }).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
    });
    try {
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      expect(app.get(MIGRATIONS_AT_START)).toEqual({ applied: [] });

      const em = app.get(MikroORM).em.fork();
      em.create(Fill, { quantity: '12345678901.12345678' });
      await em.flush();
      const [fill] = await em.fork().find(Fill, {});
      expect(fill?.quantity).toBe('12345678901.12345678');

      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({
        status: 'ready',
        checks: [{ name: 'database', ok: true, detail: null }],
      });
    } finally {
      await app.close();
    }
  });
});
