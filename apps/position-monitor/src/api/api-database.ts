import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Pool, type PoolClient } from 'pg';
import { API_ROLE } from '../migrations/migration-0003-api-row-level-security';

/** Injection token of the API's connection settings. */
export const API_DATABASE_OPTIONS = Symbol('API_DATABASE_OPTIONS');

export interface ApiDatabaseOptions {
  /** The service's database URL (its own role, a member of the API role). */
  readonly databaseUrl: string;
  /** Connections of the API's pool, apart from the consumers'. Default 5. */
  readonly poolSize?: number;
}

export type SqlValue = string | number | Date;

/** A row as PostgreSQL's text of each column (null for SQL NULL). */
export type TextRow = readonly (string | null)[];

const asText = (value: string): string => value;

/** A transaction in which every statement runs as the API role for one user. */
export interface UserScope {
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * The HTTP API's own pool. Every call is one transaction that first switches to the NOLOGIN API
 * role and sets `app.user_id` (both `LOCAL`, so nothing leaks to the next user of the connection);
 * row-level security then decides which rows exist. A pool apart from MikroORM's keeps API load
 * from starving the consumers, and costs one round trip for the switch instead of several.
 */
@Injectable()
export class ApiDatabase implements OnModuleDestroy {
  private readonly pool: Pool;

  constructor(@Inject(API_DATABASE_OPTIONS) options: ApiDatabaseOptions) {
    this.pool = new Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 5, application_name: 'position-monitor-api' });
  }

  async asUser<T>(userId: string, work: (scope: UserScope) => Promise<T>): Promise<T> {
    return this.inTransaction(async (client) => {
      await client.query(`BEGIN; SET LOCAL ROLE ${API_ROLE}; SELECT set_config('app.user_id', ${client.escapeLiteral(userId)}, true)`);
      const result = await work(scopeOf(client));
      await client.query('COMMIT');
      return result;
    });
  }

  /**
   * One read statement as the user in a single round trip: the role switch, `app.user_id` and the
   * statement go as one simple-protocol query (one transaction), its `$n` parameters inlined with
   * the driver's `escapeLiteral`. For the hot read paths (one position, a page of positions).
   */
  async queryAsUser<T>(userId: string, sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const [rows] = await this.batchAsUser<T>(userId, [sql], params, {});
    return rows ?? [];
  }

  /**
   * Several read statements as the user in the same single round trip and transaction, on one
   * snapshot (a fill committed between two of them is seen by both or neither), each row as an
   * array of PostgreSQL's text (nothing converted: numerics stay exact, times as the statement
   * formats them). For large reads, where building JSON in PostgreSQL or objects per row costs more
   * than the rows themselves.
   */
  async readTextAsUser(userId: string, statements: readonly string[], params: readonly SqlValue[] = []): Promise<TextRow[][]> {
    return this.batchAsUser<TextRow>(userId, statements, params, { rowMode: 'array', types: { getTypeParser: () => asText } });
  }

  private async batchAsUser<T>(userId: string, statements: readonly string[], params: readonly SqlValue[], mode: object): Promise<T[][]> {
    return this.inTransaction(async (client) => {
      const literal = (value: SqlValue) => client.escapeLiteral(value instanceof Date ? value.toISOString() : String(value));
      const inline = (sql: string) =>
        sql.replace(/\$(\d+)/g, (_, n: string) => {
          const value = params[Number(n) - 1];
          if (value === undefined) throw new Error(`queryAsUser: no value for $${n}`);
          return literal(value);
        });
      // Several statements read one snapshot (REPEATABLE READ; read only, so it never fails to
      // serialize); ISO DateStyle makes the text of timestamps independent of the server's default.
      const begin = statements.length > 1 ? 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY' : 'BEGIN';
      const prelude = [begin, `SET LOCAL ROLE ${API_ROLE}`, `SELECT set_config('app.user_id', ${literal(userId)}, true)`, `SET LOCAL DateStyle = 'ISO, YMD'`];
      const text = [...prelude, ...statements.map(inline), 'COMMIT'].join('; ');
      const results = (await client.query({ text, ...mode })) as unknown as { rows: T[] }[];
      return statements.map((_, i) => results[prelude.length + i]?.rows ?? []);
    });
  }

  /** Runs `work` on a pooled connection; on failure rolls back, and drops the connection if even that fails. */
  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      return await work(client);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}

function scopeOf(client: PoolClient): UserScope {
  return {
    query: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, [...params])).rows as T[],
  };
}
