import { type z } from 'zod';

/** One violated rule, named by the environment variable that breaks it. */
export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
}

/** Thrown by {@link loadConfig}; its message lists every problem, one per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly ConfigProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `Invalid configuration, ${count}:\n${problems.map((p) => `  ${p.variable}: ${p.problem}`).join('\n')}`,
    );
  }
}

export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * Parses the environment once against an app's schema, whose keys are the environment variable
 * names (`EXECUTOR_HTTP_PORT: envPort(3000)`). A blank variable counts as unset. Returns the
 * config deeply frozen; throws a {@link ConfigError} listing every problem at once.
 */
export function loadConfig<S extends z.ZodType<object>>(
  schema: S,
  env: Readonly<Record<string, string | undefined>> = process.env,
): DeepReadonly<z.output<S>> {
  const input = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => describe(issue, input)));
  }
  return deepFreeze(result.data) as DeepReadonly<z.output<S>>;
}

function describe(issue: z.core.$ZodIssue, input: Record<string, unknown>): ConfigProblem {
  const variable = issue.path.map(String).join('.') || '(config)';
  if (issue.code === 'invalid_type') {
    const [head] = issue.path;
    const missing = head === undefined || input[String(head)] === undefined;
    return { variable, problem: missing ? 'required' : `expected ${issue.expected}` };
  }
  return { variable, problem: issue.message };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Where {@link exitOnConfigError} writes and how it exits; swapped in tests. */
export interface ExitIo {
  readonly stderr: { write(text: string): unknown };
  readonly exit: (code: number) => never;
}

const processIo: ExitIo = { stderr: process.stderr, exit: (code) => process.exit(code) };

/**
 * Runs `fn` (sync or async); a {@link ConfigError} it throws is printed to stderr and the process
 * exits with code 1, without a stack trace. Any other error propagates unchanged.
 *
 * ```ts
 * const config = exitOnConfigError(() => loadConfig(ExecutorConfigSchema));
 * ```
 */
export function exitOnConfigError<T>(fn: () => T, io: ExitIo = processIo): T {
  const handle = (error: unknown): never => {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return io.exit(1);
  };
  try {
    const result = fn();
    return (result instanceof Promise ? result.catch(handle) : result) as T;
  } catch (error) {
    return handle(error);
  }
}
