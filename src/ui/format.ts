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
