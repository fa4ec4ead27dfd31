/** Deferred work of the simulated venue (acknowledgements, fills, cancels), cancellable as a whole on reset. */
export interface Scheduler {
  after(ms: number, task: () => void): void;
  cancelAll(): void;
}

export class TimerScheduler implements Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();

  after(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, ms);
    this.timers.add(timer);
  }

  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
