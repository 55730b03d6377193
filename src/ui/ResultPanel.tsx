import { maskArea } from '../core/image';
import { GRAY_NOTE, isRescaledNote } from '../io/raster';
import { isTumor, THRESHOLD_PRESETS } from '../core/thresholds';
import { useStore } from '../state/store';
import { displayed } from '../state/derived';
import { fixed, pct, seconds } from './format';
import type { Analysis } from '../inference/types';

/** What the probability on screen is made of: the combined probability's two parts, or why it is the classifier's alone. */
function probabilityParts(a: Analysis, segmenting: boolean): string | null {
  if (a.combined && a.segmentation) {
    const area = (a.decisionArea ?? maskArea(a.segmentation)).toLocaleString('en');
    if (a.segmenters > 1) return `Combines the classifier's ${pct(a.classifierProbability)} with the area the first segmenter outlines (${area} px); the outline shown averages both segmenters.`;
    return `Combines the classifier's ${pct(a.classifierProbability)} with the outlined area (${area} px).`;
  }
  if (!a.combinedFollows) return null;
  if (segmenting) return "The classifier's probability so far; the outlined area completes it.";
  return "The classifier's probability alone: the combined one needs the segmenter's mask.";
}

/**
 * When the classifier alone and the combined probability fall on opposite sides of the threshold, the two models
 * disagree on this slice: said plainly, since the headline shows only the combined answer (a confident classifier
 * overruled by an empty mask is how the shipped pair misses faint tumors; README, Models).
 */
function disagreement(a: Analysis, threshold: number): string | null {
  if (!a.combined || !a.segmentation) return null;
  const classifierSays = isTumor(a.classifierProbability, threshold);
  if (classifierSays === isTumor(a.probability, threshold)) return null;
  const area = a.decisionArea ?? maskArea(a.segmentation);
  const t = fixed(threshold);
  return classifierSays
    ? `The models disagree: the classifier alone gives ${pct(a.classifierProbability)} (tumor likely at ${t}), but the segmenter outlines ${area === 0 ? 'nothing' : `only ${area.toLocaleString('en')} px`}, and the combined probability falls below ${t}. Worth a second look.`
    : `The models disagree: the classifier alone gives ${pct(a.classifierProbability)} (below ${t}), but the segmenter outlines ${area.toLocaleString('en')} px, which lifts the combined probability above ${t}.`;
}

/** The answer: tumor probability as number and bar, what it is made of, and the decision in words (announced). */
export function ResultPanel() {
  const current = useStore((s) => s.current);
  const threshold = useStore((s) => s.threshold);
  const a = current?.analysis ?? null;
  const cards = useStore((s) => s.engine.cards);
  const loading = useStore((s) => s.engine.phase === 'loading');
  const untrained = [cards.classifier, cards.segmenter, cards.segmenter2].some((c) => c && !c.trained);
  const shown = displayed(current, threshold);
  // The classifier's number alone is not the decision when the combined one follows: a verdict shown for it could
  // reverse a moment later (82% "tumor likely", then 29% "no tumor" on a slice the segmenters find nothing in).
  const pending = !!(a && current?.segmenting && a.combinedFollows);
  const decision = pending ? null : shown.decision;
  let decisionText = '';
  if (current?.analyzing && !a) decisionText = loading ? `${current.name.file} is analyzed as soon as the models have loaded (progress under "Models and backend")…` : `Analyzing ${current.name.file}…`;
  else if (pending) decisionText = `Decision pending at threshold ${fixed(threshold)}: the outlined area completes the probability`;
  else if (a) decisionText = `${shown.decision ? 'Tumor likely' : 'No tumor detected'} at threshold ${fixed(threshold)}`;
  else if (current?.error) decisionText = `Analysis failed: ${current.error}`;
  else if (current && current.patientIndex !== undefined) decisionText = 'Not analyzed: the run over this patient stopped before this slice ("Resume" under the image).';
  else if (!current) decisionText = 'Drop a slice to see its tumor probability.';
  const parts = a && current ? probabilityParts(a, current.segmenting) : null;
  const disagree = a && !pending ? disagreement(a, threshold) : null;

  return (
    <section className="panel result" aria-labelledby="result-h">
      <h2 id="result-h">Tumor probability</h2>
      {untrained && (
        <p className="untrained" data-testid="untrained-warning">
          Untrained models: these weights are random, so the probability and mask below mean nothing yet.
        </p>
      )}
      <div className="prob-row">
        <span className="prob-number" data-testid="probability">
          {a ? pct(a.probability) : '—'}
        </span>
        {current && <span className="file-name" title={current.name.file}>{current.name.file}</span>}
      </div>
      <div className="prob-bar" aria-hidden="true">
        <div className="prob-fill" style={{ width: a ? pct(a.probability, 2) : '0%' }} data-tumor={decision === null ? 'pending' : decision ? 'yes' : 'no'} />
        {THRESHOLD_PRESETS.map((t) => (
          <div key={t} className="prob-tick" style={{ left: pct(t, 2) }} />
        ))}
        <div className="prob-threshold" style={{ left: pct(threshold, 2) }} />
      </div>
      {parts && (
        <p className="muted small" data-testid="probability-parts">
          {parts}
        </p>
      )}
      {/* Only the decision (and a failed mask) is live: the whole block, atomic, re-read several sentences at each
          slider or slice step. */}
      <div role="status">
        <p className={`decision ${decision === null ? 'muted' : decision ? 'is-tumor' : 'is-clear'}`} data-testid="decision">
          {decisionText}
        </p>
        {a && current?.error && (
          // The probability came ahead of the mask, and the mask then failed.
          <p className="error small wrap-anywhere" data-testid="mask-error">
            The mask could not be computed: {current.error}
          </p>
        )}
      </div>
      {a && current?.notes.includes(GRAY_NOTE) && (
        <p className="warn small" data-testid="gray-warning">
          One channel, not the three MRI sequences (pre-contrast, FLAIR, post-contrast) the models were trained on: this
          answer is outside what they were validated for.
        </p>
      )}
      {a && current?.notes.some(isRescaledNote) && (
        <p className="warn small" data-testid="depth-warning">
          Samples wider than 8 bits, stretched to 0-255 by this image's own range: the LGG slices the models learned from
          are 8-bit, so the brightness they see here can differ, and this answer is outside what they were validated for.
        </p>
      )}
      {disagree && (
        <p className="warn small" data-testid="disagreement">
          {disagree}
        </p>
      )}
      {a && current?.dropToResultMs != null ? (
        <p className="muted small" data-testid="timing">
          Result {seconds(current.dropToResultMs)} after the drop
          {current.dropToProbabilityMs != null && a.timings.segmentMs != null ? `, probability at ${seconds(current.dropToProbabilityMs)}` : ''} (classifier{' '}
          {seconds(a.timings.classifyMs)}
          {a.timings.segmentMs != null ? `, ${a.segmenters > 1 ? `${a.segmenters} segmenters` : 'segmenter'} ${seconds(a.timings.segmentMs)}` : ''})
        </p>
      ) : (
        a &&
        current?.analyzing &&
        current.dropToProbabilityMs != null && (
          <p className="muted small" data-testid="timing">
            Probability {seconds(current.dropToProbabilityMs)} after the drop (classifier {seconds(a.timings.classifyMs)}); the mask follows
          </p>
        )
      )}
    </section>
  );
}
