import { useStore } from '../state/store';
import { displayed } from '../state/derived';
import { segmentNow } from '../state/actions';
import { sameSize } from '../core/image';
import { noTumorInEither } from '../core/metrics';
import { SEGMENT_ABOVE_PROBABILITY } from '../core/thresholds';
import { count, fixed, NO_TUMOR_IN_EITHER } from './format';
import { SliceExports } from './SliceExports';

/** The mask's size and, with a ground truth, Dice and IoU, all at the current threshold (two-stage). */
export function SegmentationStats() {
  const current = useStore((s) => s.current);
  const threshold = useStore((s) => s.threshold);
  const shown = displayed(current, threshold);
  if (!current?.analysis) return null;
  // Empty truth, empty prediction: Dice and IoU are 1 by convention, shown as n/a (not a perfect outline).
  const neither = shown.scores !== null && noTumorInEither(shown.predictedArea, shown.scores.truthArea);
  return (
    <section className="panel" aria-labelledby="seg-h">
      <h2 id="seg-h">Tumor mask</h2>
      {current.segmenting && !current.analysis.segmentation ? (
        <p className="muted small" data-testid="mask-pending">
          Outlining the tumor region…
        </p>
      ) : current.error && !current.analysis.segmentation ? (
        <p data-testid="mask-summary">
          <strong>No mask</strong> <span className="muted small">(it could not be computed; see the message above)</span>
        </p>
      ) : shown.needsSegmentation ? (
        <div className="row">
          <span className="small">The segmenter did not run for this slice (probability below {fixed(SEGMENT_ABOVE_PROBABILITY)}).</span>
          <button type="button" className="btn" onClick={() => void segmentNow()} data-testid="segment-now">
            Segment now
          </button>
        </div>
      ) : shown.predictedArea === 0 ? (
        <p data-testid="mask-summary">
          <strong>No mask</strong> <span className="muted small">{shown.decision ? `(${current.analysis.segmenters > 1 ? 'the segmenters' : 'the segmenter'} found no tumor region)` : '(no tumor at this threshold)'}</span>
        </p>
      ) : (
        <p data-testid="mask-summary">
          Predicted tumor: <strong>{count(shown.predictedArea)} px</strong>
        </p>
      )}
      {shown.scores && (
        <dl className="scores" data-testid="scores">
          <div>
            <dt>Dice</dt>
            <dd data-testid="dice">{neither ? 'n/a' : fixed(shown.scores.dice, 3)}</dd>
          </div>
          <div>
            <dt>IoU</dt>
            <dd data-testid="iou">{neither ? 'n/a' : fixed(shown.scores.iou, 3)}</dd>
          </div>
          <div>
            <dt>Truth</dt>
            <dd>{count(shown.scores.truthArea)} px</dd>
          </div>
        </dl>
      )}
      {current.sourceSize && !sameSize(current.sourceSize, current.image) && (
        <p className="muted small" data-testid="grid-note">
          Pixels here are on the models' {current.image.width}×{current.image.height} grid; the file is {current.sourceSize.width}×{current.sourceSize.height}, and
          its saved mask is in that size.
        </p>
      )}
      {neither && (
        <p className="muted small" data-testid="scores-na">
          {NO_TUMOR_IN_EITHER}: the truth and the prediction are both empty, so there is no outline to score.
        </p>
      )}
      {shown.predicted && !shown.needsSegmentation && !(current.segmenting && !current.analysis.segmentation) && (
        <SliceExports current={current} predicted={shown.predicted} threshold={threshold} />
      )}
    </section>
  );
}
