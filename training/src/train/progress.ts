/** A per-epoch progress bar on a terminal; plain periodic lines when stdout is a file or pipe. */
export interface ProgressStats {
  /** 1-based epoch under way, of `epochs`. */
  epoch: number;
  epochs: number;
  done: number;
  total: number;
  loss: number;
  metric: number;
  metricName: string;
  imagesPerSecond: number;
  /** The rest of this epoch's training steps. */
  etaSeconds: number;
  /** The rest of the run: this epoch, then the epochs after it at the mean epoch time so far (validation included). */
  runEtaSeconds: number;
}

/**
 * The seconds left in the run: the current epoch's training ETA, then each later epoch at the mean wall time of the
 * epochs done in this process (training and validation); before any is done, at this epoch's elapsed + ETA
 * (validation not yet seen).
 */
export function runEta(o: { epoch: number; epochs: number; etaSeconds: number; elapsedSeconds: number; doneEpochSeconds: readonly number[] }): number {
  const perEpoch = o.doneEpochSeconds.length ? o.doneEpochSeconds.reduce((a, b) => a + b, 0) / o.doneEpochSeconds.length : o.elapsedSeconds + o.etaSeconds;
  return o.etaSeconds + Math.max(0, o.epochs - o.epoch) * perEpoch;
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
  return `epoch ${String(p.epoch).padStart(String(p.epochs).length)}/${p.epochs} ${String(p.done).padStart(String(p.total).length)}/${p.total} [${bar}] loss ${p.loss.toFixed(4)} - ${p.metricName} ${p.metric.toFixed(4)} - ${p.imagesPerSecond.toFixed(2)} img/s - ETA ${formatDuration(p.etaSeconds)} (run ${formatDuration(p.runEtaSeconds)})`;
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
  /** Validation under way: its slice count, in place on a terminal; in a log, one line when it starts. */
  validating(done: number, total: number): void {
    if (this.out.isTTY) this.out.write(`\r  validating ${done}/${total} slices…\x1b[K`);
    else if (done === 0) this.out.write(`  validating ${total} slices…\n`);
  }
  /** Validation done: the in-place line is cleared, so the epoch summary takes its place. */
  validated(): void {
    if (this.out.isTTY) this.out.write('\r\x1b[K');
  }
}
