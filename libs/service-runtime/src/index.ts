export {
  ConfigError,
  type ConfigProblem,
  type DeepReadonly,
  type ExitIo,
  exitOnConfigError,
  loadConfig,
} from './config/config';
export { type DurationText, parseDurationMs } from './config/duration';
export { type EnvField, envBoolean, envCsv, envDurationMs, envPort, envUrl } from './config/env-fields';

export { type Correlation, currentCorrelation, runWithCorrelation } from './logging/correlation';
export { type Logger, type LoggerOptions, createLogger } from './logging/logger';
export { PinoNestLogger } from './logging/pino-nest-logger';
export { REDACT_PATHS, redactUrlCredentials } from './logging/redaction';

export { type HandlerMetrics, handlerMetrics } from './metrics/handler-metrics';
export { type JobMetrics, jobMetrics, setMarketOpen } from './metrics/job.metrics';
export { METRICS_REGISTRY, type MetricsOptions, createMetricsRegistry } from './metrics/metrics-registry';
export { MetricsModule } from './metrics/metrics.module';

export { type ReadinessBody } from './health/health.controller';
export { HealthModule } from './health/health.module';
export {
  type ReadinessCheck,
  type ReadinessCheckReport,
  type ReadinessCheckResult,
  ReadinessRegistry,
  type ReadinessRegistryOptions,
  type ReadinessReport,
} from './health/readiness.registry';

export { DatabaseModule, type DatabaseModuleOptions, MIGRATIONS_AT_START } from './database/database.module';
export {
  type MigrationRun,
  type RunMigrationsOptions,
  runMigrations,
  runMigrationsCli,
} from './database/migrations';
export { type DatabaseOptions, databaseOrmOptions } from './database/orm-options';

export { type HttpAppOptions, createHttpApp, listen } from './bootstrap/http-app';

export { Clock, FixedClock, SystemClock } from './time/clock';
export {
  IdGenerator,
  RandomIdGenerator,
  SequentialIdGenerator,
  TLP_ID_NAMESPACE,
  deterministicId,
} from './time/ids';
export { NEW_YORK, isWallClockTime, newYorkWallClock } from './time/new-york-time';

export { DEV_JWT_SECRET, type AuthEnv, type AuthEnvName, authEnvFields, authOptionsFromConfig } from './auth/auth.config';
export { Authenticated, CurrentUser, RequirePermission } from './auth/auth.decorators';
export { AUTH_OPTIONS, type AuthUser, type AuthenticatedRequest, JwtAuthGuard, REQUIRED_PERMISSIONS } from './auth/auth.guard';
export { AuthModule } from './auth/auth.module';
export {
  type AuthClaims,
  type JwtKey,
  type JwtRejection,
  type JwtVerification,
  type JwtVerifyOptions,
  type SigningKey,
  signJwt,
  verifyJwt,
} from './auth/jwt';
export { type MintTokenOptions, mintToken } from './auth/mint-token';
