/** What a check may answer: a bare verdict, or a verdict with a short reason. */
export type ReadinessCheckResult = boolean | { readonly ok: boolean; readonly detail?: string };

export type ReadinessCheck = () => Promise<ReadinessCheckResult>;

export interface ReadinessCheckReport {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string | null;
}

export interface ReadinessReport {
  readonly ok: boolean;
  readonly checks: readonly ReadinessCheckReport[];
}

export interface ReadinessRegistryOptions {
  /** How long one check may take before it counts as failed. Default 2000 ms. */
  readonly checkTimeoutMs?: number;
}

interface Registration {
  readonly check: ReadinessCheck;
  readonly timeoutMs: number;
}

/**
 * Readiness checks registered at runtime by the modules that own a dependency (database,
 * Kafka consumer, broker session). Ready means every check passes; no checks means ready.
 * A check that throws, rejects or outlives its timeout fails.
 */
export class ReadinessRegistry {
  private readonly checks = new Map<string, Registration>();
  private readonly defaultTimeoutMs: number;

  constructor(options: ReadinessRegistryOptions = {}) {
    this.defaultTimeoutMs = options.checkTimeoutMs ?? 2_000;
  }

  /** Adds a check under a unique name; returns a function that removes it. */
  register(name: string, check: ReadinessCheck, options: { timeoutMs?: number } = {}): () => void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    const registration = { check, timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs };
    this.checks.set(name, registration);
    return () => {
      if (this.checks.get(name) === registration) this.checks.delete(name);
    };
  }

  /** Runs every check concurrently. */
  async evaluate(): Promise<ReadinessReport> {
    const checks = await Promise.all(
      [...this.checks].map(([name, registration]) => runCheck(name, registration)),
    );
    return { ok: checks.every((check) => check.ok), checks };
  }
}

async function runCheck(name: string, { check, timeoutMs }: Registration): Promise<ReadinessCheckReport> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadinessCheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(check), timeout]);
    const { ok, detail } = typeof result === 'boolean' ? { ok: result, detail: undefined } : result;
    return { name, ok, detail: detail ?? null };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
