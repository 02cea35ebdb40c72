/** Terminal output: a one-line live status on a TTY, plain lines otherwise. */
export { formatBytes } from '../core/format';

export class StatusLine {
  private last = '';
  private readonly tty: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(stream.isTTY) && !process.env.CI;
  }

  /** Replaces the status line (TTY only; elsewhere updates are dropped to keep logs clean). */
  update(text: string): void {
    if (!this.tty) return;
    const width = this.stream.columns ?? 100;
    const line = text.length > width - 1 ? text.slice(0, width - 2) + '…' : text;
    this.stream.write(`\r\x1b[2K${line}`);
    this.last = line;
  }

  /** Prints a permanent line above the status line. */
  log(text: string): void {
    if (this.tty && this.last) this.stream.write('\r\x1b[2K');
    this.stream.write(text + '\n');
    if (this.tty && this.last) this.stream.write(this.last);
  }

  clear(): void {
    if (this.tty && this.last) this.stream.write('\r\x1b[2K');
    this.last = '';
  }
}

export function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function formatSeconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
