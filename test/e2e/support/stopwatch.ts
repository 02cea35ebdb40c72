/** Named laps for the timing line the e2e suite prints (wall time, for people, never asserted). */
export class Stopwatch {
  private readonly started = Date.now();
  private readonly laps: { label: string; ms: number }[] = [];

  async time<T>(label: string, body: () => T | Promise<T>): Promise<T> {
    const start = Date.now();
    try {
      return await body();
    } finally {
      this.laps.push({ label, ms: Date.now() - start });
    }
  }

  summary(): string {
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    return [...this.laps.map((lap) => `${lap.label} ${seconds(lap.ms)}`), `total ${seconds(Date.now() - this.started)}`].join(', ');
  }
}
