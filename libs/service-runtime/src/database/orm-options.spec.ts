import { describe, expect, it } from '@jest/globals';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { databaseOrmOptions } from './orm-options';

@Entity({ tableName: 'fills_as_numbers' })
class FillAsNumber {
  @PrimaryKey()
  id!: number;

  @Property({ type: 'decimal', precision: 20, scale: 8 })
  quantity!: number;
}

@Entity({ tableName: 'fills' })
class Fill {
  @PrimaryKey()
  id!: number;

  @Property({ type: 'decimal', precision: 20, scale: 8 })
  quantity!: string;
}

const base = {
  service: 'executor',
  clientUrl: 'postgresql://executor:pw@127.0.0.1:1/executor',
  migrations: [],
};

// `connect: false`: discovery runs, nothing dials the database.
const init = (entities: (typeof Fill | typeof FillAsNumber)[], schema?: string) =>
  MikroORM.init({ ...databaseOrmOptions({ ...base, entities, ...(schema && { schema }) }), connect: false });

describe('databaseOrmOptions', () => {
  it('refuses a decimal column mapped to a JS number', async () => {
    await expect(init([FillAsNumber])).rejects.toThrow(
      "FillAsNumber.quantity maps a decimal column to a number; declare it as a string (runtimeType: 'string')",
    );
  });

  it('accepts decimals as strings, forces UTC and lists migrations explicitly', async () => {
    const orm = await init([Fill], 'executor');
    try {
      expect(orm.config.get('forceUtcTimezone')).toBe(true);
      expect(orm.config.get('schema')).toBe('executor');
      expect(orm.config.get('migrations')).toMatchObject({
        migrationsList: [],
        snapshot: false,
        allOrNothing: true,
      });
      expect(orm.config.get('driverOptions')).toEqual({ searchPath: ['executor', 'public'] });
    } finally {
      await orm.close(true);
    }
  });
});
