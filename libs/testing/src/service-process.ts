import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/** The compiled entry point of an app (built by `nx build <app>`). */
export function appEntry(app: string): string {
  return join(ROOT, 'dist/apps', app, 'apps', app, 'src/main.js');
}

/** A free TCP port on loopback, for a process the test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A service started as a real OS process from its build, so a test can kill it at any moment
 * (SIGKILL: no cleanup, as a crash) and start it again on the same database and topics.
 */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  readonly output: string[] = [];

  constructor(
    readonly name: string,
    private readonly entry: string,
    private env: Record<string, string>,
    readonly healthUrl: string | null,
  ) {}

  setEnv(extra: Record<string, string>): void {
    this.env = { ...this.env, ...extra };
  }

  async start(timeoutMs = 45_000): Promise<void> {
    const child = spawn(process.execPath, [this.entry], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (b: Buffer) => this.capture(b));
    child.stderr?.on('data', (b: Buffer) => this.capture(b));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    if (this.healthUrl) await this.waitReady(timeoutMs);
  }

  /** Resolves with the exit code once the process ends by itself (e.g. at an armed fault point). */
  waitForExit(): Promise<number | null> {
    return this.exited;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
    this.child = null;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) break;
      try {
        const res = await fetch(this.healthUrl as string);
        if (res.ok) return;
        last = `${res.status} ${await res.text()}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${this.name} not ready (${last}); output:\n${this.output.slice(-40).join('')}`);
  }

  private capture(chunk: Buffer): void {
    this.output.push(chunk.toString());
    if (this.output.length > 2000) this.output.splice(0, 1000);
  }
}
