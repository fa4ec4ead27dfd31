import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@tlp/service-runtime';
import { Gauge, type Registry } from 'prom-client';
import { DATA_QUALITY_SETTINGS, type DataQualitySettings } from './data-quality.settings';

interface Figures {
  filled: number;
  unlinked: number;
}

/**
 * Seed 001's figures, computed from the projections when Prometheus scrapes: filled orders, filled
 * orders not linked to any position after the grace period, and the link rate.
 */
@Injectable()
export class DataQualityMetrics {
  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly orm: MikroORM,
    @Inject(DATA_QUALITY_SETTINGS) private readonly settings: DataQualitySettings,
  ) {
    let pending: Promise<Figures> | null = null;
    // One query per scrape feeds all three gauges.
    const figures = (): Promise<Figures> => {
      pending ??= this.measure().finally(() => setImmediate(() => (pending = null)));
      return pending;
    };
    new Gauge({
      name: 'tlp_dq_filled_orders',
      help: 'Orders with at least one fill, in the data-quality projection.',
      registers: [registry],
      async collect() {
        this.set((await figures()).filled);
      },
    });
    new Gauge({
      name: 'tlp_dq_unlinked_filled_orders',
      help: 'Filled orders not linked to any position after the grace period.',
      registers: [registry],
      async collect() {
        this.set((await figures()).unlinked);
      },
    });
    new Gauge({
      name: 'tlp_dq_link_rate_ratio',
      help: 'Share of filled orders (past the grace period) linked to a position, 0 to 1; 1 when there are none.',
      registers: [registry],
      async collect() {
        const f = await figures();
        this.set(f.filled === 0 ? 1 : 1 - f.unlinked / f.filled);
      },
    });
  }

  async measure(): Promise<Figures> {
    const [row] = await this.orm.em.fork().getConnection().execute<{ filled: string; unlinked: string }[]>(
      `SELECT count(*)::text AS filled,
              (SELECT count(*) FROM dq_filled_orders u
                WHERE NOT u.linked AND u.first_filled_at < now() - make_interval(secs => ?))::text AS unlinked
       FROM dq_filled_orders f`,
      [this.settings.unlinkedGraceMs / 1000],
    );
    return { filled: Number(row?.filled ?? 0), unlinked: Number(row?.unlinked ?? 0) };
  }
}
