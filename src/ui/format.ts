/** Number formatting shared by the panels. */
export const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
export const fixed = (x: number, digits = 2) => x.toFixed(digits);
/** A count with thousands separators, as the slice panel writes pixels ("1,549 px"). */
export const count = (n: number) => n.toLocaleString('en');
export const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
/**
 * Dice or IoU as shown. With no tumor in the truth nor in the prediction the metric is 1 by the evaluation's
 * convention (src/core/metrics), which on screen reads as a perfect outline: there is nothing to overlap, so n/a.
 */
export const NO_TUMOR_IN_EITHER = 'n/a (no tumor in either)';
export const overlapScore = (x: number | null, noTumorInEither: boolean, digits = 3) =>
  x === null ? '–' : noTumorInEither ? NO_TUMOR_IN_EITHER : x.toFixed(digits);

/** Decimal megabytes with one decimal, as browsers' download lists write them: 8,913,924 bytes is "8.9". */
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
/** "3.1 of 8.9 MB"; only what has arrived ("0.1 MB") while the total is not known yet. */
export const bytesOf = (received: number, total: number | null) => (total === null ? `${mb(received)} MB` : `${mb(received)} of ${mb(total)} MB`);

/** Before this long and this share of the bytes, the rate so far says too little about the time left. */
const ESTIMATE_AFTER_MS = 1000;
const ESTIMATE_AFTER_SHARE = 0.05;

/** "about 20 s left" at the average rate so far; null while that is no sensible estimate yet, or nothing is left. */
export function timeLeft(received: number, total: number, elapsedMs: number): string | null {
  if (elapsedMs < ESTIMATE_AFTER_MS || received < total * ESTIMATE_AFTER_SHARE || received >= total) return null;
  const s = ((total - received) / received) * (elapsedMs / 1000);
  if (s < 10) return 'a few seconds left';
  if (s < 60) return `about ${Math.round(s / 5) * 5} s left`; // to 5 s: the rate is no finer than that
  return `about ${Math.round(s / 60)} min left`;
}

/** No bytes for this long and the download is said to have stalled (its time left would only be stale). */
const STALLED_AFTER_MS = 8000;

/** Whether a download not yet complete has had no bytes for STALLED_AFTER_MS: the line says so, the panel offers a restart. */
export const downloadStalled = (received: number, total: number | null, quietMs: number) => quietMs >= STALLED_AFTER_MS && !(total !== null && received >= total);

/**
 * The line over the models' bars, short enough for one line of the side panel: "Downloading 5.2 of 13.2 MB, about
 * 20 s left", or "…, stalled for 12 s" when nothing has arrived for `quietMs` (a frozen line looks like working).
 */
export function downloadText(received: number, total: number | null, elapsedMs: number, quietMs = 0): string {
  if (total !== null && received >= total) return `Downloaded all ${mb(total)} MB`;
  // Before the first bytes nothing has stalled yet: the worker, its backend and the model.json files come first.
  const quiet = received === 0 ? `waiting for the server for ${Math.round(quietMs / 1000)} s` : `stalled for ${Math.round(quietMs / 1000)} s`;
  const left = downloadStalled(received, total, quietMs) ? quiet : total === null ? null : timeLeft(received, total, elapsedMs);
  return `Downloading ${bytesOf(received, total)}${left ? `, ${left}` : ''}`;
}
