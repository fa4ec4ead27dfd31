import { IsolationLevel, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BROKER, type BrokerPort } from '@tlp/broker';
import { DqFindingV1, PositionRelinkRequestedV1, type Envelope } from '@tlp/contracts';
import { appendToOutbox, buildEvent, sqlOf, type SqlExecutor } from '@tlp/messaging';
import { Clock, deterministicId, IdGenerator, newYorkWallClock } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import { DATA_QUALITY_SETTINGS, type DataQualitySettings } from '../projection/data-quality.settings';
import { auditFix, relinkCandidates } from './autofix.repository';
import { brokerUnknownFinding, calculateBrokerDrift, type BrokerHolding, type FindingCandidate } from './broker-drift';
import { CHECK_QUERIES, FIGURES_SQL, PLATFORM_NET_BY_SYMBOL_SQL, REPAIR_LINKED_SQL, type CheckParams } from './check.queries';
import { CheckMetrics } from './check.metrics';
import { checksOf, resolvableTypes, scopeOf, SEVERITY, type CheckName, type CheckScope, type RunTrigger } from './finding-catalog';
import { createCandidatesTable, insertCandidates, recordFindings, transitionsOf, type FindingTransition } from './findings.repository';
import { checkRelinkable, RELINK_RULE, relinkCommand } from './relink-rule';
import { dailyRunExists, finishRun, insertRun, sizeMemoryForRun, tryLockRuns } from './runs.repository';

const PRODUCER = 'data-quality';

export interface RunSummary {
  readonly runId: string;
  readonly trigger: RunTrigger;
  readonly scope: 'STANDARD' | 'FULL';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly figures: Record<string, unknown>;
  readonly opened: number;
  readonly resolved: number;
  readonly openFindings: number;
  readonly relinksRequested: number;
}

/** BUSY: another run holds the lock; ALREADY_DONE: today's daily run committed already. */
export type RunResult = { outcome: 'COMPLETED'; summary: RunSummary } | { outcome: 'BUSY' } | { outcome: 'ALREADY_DONE' };

type BrokerView = { ok: true; holdings: BrokerHolding[] } | { ok: false; reason: string };

/**
 * One check run: every check of its scope as one set-based statement, findings folded and published
 * (outbox), safe auto-fixes requested (outbox) and audited, all in one transaction, so a crash
 * leaves either the whole run or nothing.
 */
@Injectable()
export class CheckRunService {
  private readonly logger = new Logger(CheckRunService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    @Inject(BROKER) private readonly broker: BrokerPort,
    @Inject(DATA_QUALITY_SETTINGS) private readonly settings: DataQualitySettings,
    private readonly metrics: CheckMetrics,
  ) {}

  async run(trigger: RunTrigger, fullRequested = false): Promise<RunResult> {
    const scope = scopeOf(trigger, fullRequested);
    const checks = checksOf(scope);
    const job = trigger === 'DAILY' ? 'data_quality_daily_reconciliation' : 'data_quality_checks';
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const result = await this.execute(trigger, scope, checks);
      if (result.outcome === 'COMPLETED') {
        this.metrics.succeeded(job, seconds());
        this.metrics.relinksRequested(result.summary.relinksRequested);
        const s = result.summary;
        this.logger.log(`check run ${s.runId} (${trigger}, ${scope}): ${s.openFindings} open, ${s.opened} opened, ${s.resolved} resolved, ${s.relinksRequested} relinks in ${Math.round(s.durationMs)} ms`);
      }
      return result;
    } catch (error) {
      this.metrics.failed(job, seconds());
      throw error;
    }
  }

  private async execute(trigger: RunTrigger, scope: CheckScope, checks: readonly CheckName[]): Promise<RunResult> {
    const brokerView = checks.includes('BROKER_POSITIONS') ? await this.readBroker() : null;
    const started = process.hrtime.bigint();
    const startedAt = this.clock.now();
    const run = { runId: this.ids.next(), trigger, scope, checks, startedAt, dailyDate: trigger === 'DAILY' ? newYorkWallClock(startedAt).date : null };
    await this.orm.em.fork().getConnection().execute(REPAIR_LINKED_SQL);
    // One snapshot for every statement of the run: a position change committed between two checks
    // must not be half seen (the quantity check subtracts what the unlinked check found).
    return this.orm.em.fork().transactional(async (em): Promise<RunResult> => {
      const sql = sqlOf(em);
      if (!(await tryLockRuns(sql))) return { outcome: 'BUSY' };
      if (run.dailyDate !== null && (await dailyRunExists(sql, run.dailyDate))) return { outcome: 'ALREADY_DONE' };
      await insertRun(sql, run);
      await sizeMemoryForRun(sql);
      await createCandidatesTable(sql);
      const figures = await this.runChecks(sql, checks, startedAt, brokerView);
      const counts = await recordFindings(sql, run.runId, startedAt, resolvableTypes(checks, brokerView?.ok ?? false));
      const transitions = await transitionsOf(sql, run.runId);
      await appendToOutbox(sql, transitions.map((t) => this.findingEvent(run.runId, t, startedAt)));
      const relinks = this.settings.autofixEnabled ? await this.requestRelinks(sql, run.runId, startedAt) : 0;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      await finishRun(sql, run.runId, { finishedAt: this.clock.now(), durationMs, figures, opened: counts.opened, resolved: counts.resolved, open: counts.open });
      const summary: RunSummary = {
        runId: run.runId, trigger, scope, startedAt: startedAt.toISOString(), durationMs, figures,
        opened: counts.opened, resolved: counts.resolved, openFindings: counts.open, relinksRequested: relinks,
      };
      return { outcome: 'COMPLETED', summary };
    }, { isolationLevel: IsolationLevel.REPEATABLE_READ });
  }

  private async runChecks(sql: SqlExecutor, checks: readonly CheckName[], now: Date, brokerView: BrokerView | null): Promise<Record<string, unknown>> {
    const s = this.settings;
    const before = (ms: number) => new Date(now.getTime() - ms);
    const cutoffs: CheckParams['cutoffs'] = {
      unlinked: before(s.unlinkedGraceMs),
      unprotected: before(s.unprotectedGraceMs),
      staleMark: before(s.staleMarkAfterMs),
      stuckSubmitted: before(s.stuckSubmittedAfterMs),
    };
    const checkDurationsMs: Record<string, number> = {};
    for (const check of checks) {
      if (check === 'BROKER_POSITIONS' || check === 'LINK_RATE_LOW') continue;
      const query = CHECK_QUERIES[check];
      const started = process.hrtime.bigint();
      await sql.query(query.sql, query.params({ severity: SEVERITY[check], cutoffs }));
      checkDurationsMs[check] = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const [row] = await sql.query<{ filled: number; unlinked: number }>(FIGURES_SQL);
    const filled = row?.filled ?? 0;
    const unlinked = row?.unlinked ?? 0;
    const linkRate = filled === 0 ? 1 : 1 - unlinked / filled;
    const extra: FindingCandidate[] = [];
    if (linkRate < s.linkRateMin) extra.push(linkRateFinding(linkRate, filled, unlinked));
    if (brokerView) extra.push(...(await this.brokerFindings(sql, brokerView)));
    await insertCandidates(sql, extra);
    return { filledOrders: filled, unlinkedFilledOrders: unlinked, linkRate, brokerReached: brokerView?.ok ?? null, checkDurationsMs };
  }

  private async readBroker(): Promise<BrokerView> {
    try {
      const positions = await this.broker.listPositions();
      return { ok: true, holdings: positions.map((p) => ({ symbol: p.symbol, quantity: p.quantity })) };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  private async brokerFindings(sql: SqlExecutor, view: BrokerView): Promise<FindingCandidate[]> {
    if (!view.ok) return [brokerUnknownFinding(view.reason, SEVERITY.BROKER_POSITIONS_UNKNOWN)];
    const rows = await sql.query<{ symbol: string; net: string }>(PLATFORM_NET_BY_SYMBOL_SQL);
    const platform = new Map(rows.map((r) => [r.symbol, new Decimal(r.net)]));
    return calculateBrokerDrift(platform, view.holdings, SEVERITY.BROKER_POSITION_DRIFT);
  }

  private async requestRelinks(sql: SqlExecutor, runId: string, now: Date): Promise<number> {
    let requested = 0;
    for (const candidate of await relinkCandidates(sql)) {
      if (checkRelinkable(candidate) !== null) continue;
      const requestId = deterministicId('data-quality.relink-request', candidate.findingId, candidate.positionId);
      const eventId = deterministicId('data-quality.relink-event', requestId);
      const payload = relinkCommand(candidate, requestId, now);
      const audit = { requestId, findingId: candidate.findingId, runId, rule: RELINK_RULE, orderId: candidate.orderId, positionId: candidate.positionId, accountId: candidate.accountId, symbol: candidate.instrument.symbol, reason: payload.reason, requestedAt: now, eventId };
      if (!(await auditFix(sql, audit))) continue;
      const event = buildEvent(PositionRelinkRequestedV1, payload, { eventId, occurredAt: now, producer: PRODUCER, correlationId: runId, causationId: null });
      await appendToOutbox(sql, [event]);
      requested += 1;
    }
    return requested;
  }

  private findingEvent(runId: string, t: FindingTransition, now: Date): Envelope {
    const payload = {
      runId, findingId: t.findingId, findingType: t.findingType, severity: t.severity,
      status: t.transition === 'RESOLVED' ? ('RESOLVED' as const) : ('OPEN' as const),
      entityKey: t.entityKey, accountId: t.accountId, symbol: t.symbol, orderId: t.orderId, positionId: t.positionId,
      executionId: t.executionId, tradeId: t.tradeId, detail: t.detail.slice(0, 1000),
      firstSeenAt: t.firstSeenAt.toISOString(), lastSeenAt: t.lastSeenAt.toISOString(), resolvedAt: t.resolvedAt?.toISOString() ?? null,
    };
    const eventId = deterministicId('data-quality.finding-event', runId, t.findingId, t.transition);
    return buildEvent(DqFindingV1, payload, { eventId, occurredAt: now, producer: PRODUCER, correlationId: runId, causationId: null });
  }
}

function linkRateFinding(linkRate: number, filled: number, unlinked: number): FindingCandidate {
  return {
    finding_type: 'LINK_RATE_LOW', severity: SEVERITY.LINK_RATE_LOW, entity_key: 'platform',
    account_id: null, symbol: null, order_id: null, position_id: null, execution_id: null, trade_id: null,
    detail: `link rate ${linkRate.toFixed(4)}: ${unlinked} of ${filled} filled orders linked to no position`,
  };
}
