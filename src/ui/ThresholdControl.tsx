import type { ClassifierTestMetrics, ModelCard } from '../core/card';
import type { CombinedCard } from '../core/combined';
import { DEFAULT_THRESHOLD, HIGH_RECALL_THRESHOLD, THRESHOLD_PRESETS } from '../core/thresholds';
import { useStore } from '../state/store';
import { fixed, pct } from './format';

const PRESET_LABEL: Record<number, string> = { [DEFAULT_THRESHOLD]: 'default', [HIGH_RECALL_THRESHOLD]: 'high recall' };

/**
 * What each preset means on held-out patients, for the probability the slider thresholds: the combined one's
 * metrics when it ships, else the classifier card's.
 */
function PresetMetrics({ card, combined }: { card: ModelCard | null; combined: CombinedCard | null }) {
  if (!card) return <p className="muted small">The classifier's card (recall and specificity at each preset) appears once the models are loaded.</p>;
  const metrics = combined ? combined.metrics?.test : (card.metrics?.test as ClassifierTestMetrics | undefined);
  if (card.trained && combined && !metrics?.thresholds)
    return (
      <p className="muted small" data-testid="preset-metrics">
        Recall and specificity at the presets: the combined probability has not been scored on the test patients yet.
      </p>
    );
  if (!card.trained || !metrics?.thresholds)
    return (
      <p className="muted small" data-testid="preset-metrics">
        Recall and specificity at the presets: not trained yet (this classifier has untrained weights).
      </p>
    );
  return (
    <table className="metrics-table small" data-testid="preset-metrics">
      <caption>On the held-out test patients{combined ? ' (combined probability)' : ' (classifier)'}</caption>
      <thead>
        <tr>
          <th scope="col">Threshold</th>
          <th scope="col">Accuracy</th>
          <th scope="col">Recall</th>
          <th scope="col">Specificity</th>
        </tr>
      </thead>
      <tbody>
        {THRESHOLD_PRESETS.map((t) => {
          const s = metrics.thresholds[String(t)];
          return (
            <tr key={t}>
              <th scope="row">{fixed(t)}</th>
              <td>{s ? pct(s.accuracy) : '—'}</td>
              <td>{s ? pct(s.recall) : '—'}</td>
              <td>{s ? pct(s.specificity) : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function ThresholdControl() {
  const threshold = useStore((s) => s.threshold);
  const singleKeys = useStore((s) => s.singleKeys);
  const setThreshold = useStore((s) => s.setThreshold);
  const card = useStore((s) => s.engine.cards.classifier);
  // Without a working engine (e.g. the segmenter failed to load) the classifier alone decides.
  const combined = useStore((s) => (s.engine.phase === 'failed' ? null : s.engine.combined));
  return (
    <section className="panel" aria-labelledby="threshold-h">
      <h2 id="threshold-h">
        {/* Not live: the slider announces each step itself (aria-valuetext), and an <output> said it a second time. */}
        Decision threshold <output aria-live="off" data-testid="threshold-value">{fixed(threshold)}</output>
      </h2>
      <input
        type="range"
        min={0}
        max={1}
        step={0.01}
        value={threshold}
        aria-label="Decision threshold"
        aria-valuetext={PRESET_LABEL[threshold] ? `${fixed(threshold)}, ${PRESET_LABEL[threshold]}` : fixed(threshold)}
        aria-keyshortcuts={singleKeys ? '1 2 [ ]' : undefined}
        data-testid="threshold-slider"
        onChange={(e) => setThreshold(Number(e.currentTarget.value))}
      />
      <div className="presets" role="group" aria-label="Threshold presets">
        {THRESHOLD_PRESETS.map((t, i) => (
          <button key={t} type="button" className={threshold === t ? 'btn chip active' : 'btn chip'} aria-pressed={threshold === t} onClick={() => setThreshold(t)} title={`Key ${i + 1}`}>
            {fixed(t)} {PRESET_LABEL[t]}
          </button>
        ))}
      </div>
      <PresetMetrics card={card} combined={combined} />
      <p className="muted small">
        {singleKeys && (
          <span className="key-hints" data-testid="key-hints">
            Keys: <kbd>1</kbd> {fixed(DEFAULT_THRESHOLD)}, <kbd>2</kbd> {fixed(HIGH_RECALL_THRESHOLD)}, <kbd>[</kbd> <kbd>]</kbd> step 0.01.{' '}
          </span>
        )}
        A lower threshold misses fewer tumors and flags more healthy slices.
      </p>
    </section>
  );
}
