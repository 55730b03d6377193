/** A per-epoch progress bar on a terminal; plain periodic lines when stdout is a file or pipe. */
export interface ProgressStats {
  done: number;
  total: number;
  loss: number;
  metric: number;
  metricName: string;
  imagesPerSecond: number;
  etaSeconds: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export function progressLine(p: ProgressStats, width = 24): string {
  const filled = Math.round((p.done / Math.max(1, p.total)) * width);
  const bar = '='.repeat(Math.max(0, filled - 1)) + (filled ? (p.done === p.total ? '=' : '>') : '') + '.'.repeat(width - filled);
  return `${String(p.done).padStart(String(p.total).length)}/${p.total} [${bar}] loss ${p.loss.toFixed(4)} - ${p.metricName} ${p.metric.toFixed(4)} - ${p.imagesPerSecond.toFixed(2)} img/s - ETA ${formatDuration(p.etaSeconds)}`;
}

export class ProgressBar {
  private lastPlain = 0;
  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly plainEverySeconds = 30,
  ) {}
  update(p: ProgressStats): void {
    if (this.out.isTTY) {
      this.out.write(`\r${progressLine(p)}\x1b[K`);
      return;
    }
    const now = Date.now();
    if (now - this.lastPlain >= this.plainEverySeconds * 1000 || p.done === p.total) {
      this.lastPlain = now;
      this.out.write(`  ${progressLine(p)}\n`);
    }
  }
  /** Ends the bar's line so the epoch summary starts on a fresh one. */
  finish(): void {
    if (this.out.isTTY) this.out.write('\n');
    this.lastPlain = 0;
  }
}
