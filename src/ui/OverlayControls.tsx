import { useEffect, useRef } from 'react';
import { CHANNEL_NAMES } from '../core/constants';
import type { ViewChannel } from '../core/overlay';
import { useStore } from '../state/store';
import { openFiles, removeTruth } from '../state/actions';
import { FileButton } from './FileButton';

const CHANNELS: { value: ViewChannel; label: string }[] = [{ value: 'rgb', label: 'RGB' }, ...CHANNEL_NAMES.map((c) => ({ value: c, label: c }))];

export function OverlayControls() {
  const overlay = useStore((s) => s.overlay);
  const setOverlay = useStore((s) => s.setOverlay);
  const current = useStore((s) => s.current);
  const singleKeys = useStore((s) => s.singleKeys);
  const hasTruth = !!current?.truth;
  // "Remove" and "Add ground-truth mask…" replace each other: the one pressed leaves the page, so focus is handed to
  // the other instead of falling to the page's top.
  const truthRow = useRef<HTMLDivElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (refocus.current) truthRow.current?.querySelector('button')?.focus();
    refocus.current = false;
  }, [hasTruth]);
  return (
    <section className="panel" aria-labelledby="view-h">
      <h2 id="view-h">View</h2>
      <div className="segmented" role="radiogroup" aria-label="Image channel">
        {CHANNELS.map((c) => (
          <label key={c.value} className={overlay.channel === c.value ? 'seg active' : 'seg'}>
            <input type="radio" name="channel" value={c.value} checked={overlay.channel === c.value} onChange={() => setOverlay({ channel: c.value })} />
            {c.label}
          </label>
        ))}
      </div>
      <label className="row">
        <span>Overlay opacity</span>
        <input type="range" min={0} max={1} step={0.05} value={overlay.opacity} data-testid="opacity-slider" aria-label="Overlay opacity" onChange={(e) => setOverlay({ opacity: Number(e.currentTarget.value) })} />
        {/* Not live: the slider itself says its value; a live <output> read each step a second time. */}
        <output aria-live="off">{Math.round(overlay.opacity * 100)}%</output>
      </label>
      <div className="legend">
        <label>
          <input type="checkbox" checked={overlay.showPrediction} onChange={(e) => setOverlay({ showPrediction: e.currentTarget.checked })} data-testid="toggle-prediction" aria-keyshortcuts={singleKeys ? 'p' : undefined} />
          <span className="swatch pred" /> Prediction
        </label>
        <label>
          <input type="checkbox" checked={overlay.showTruth} onChange={(e) => setOverlay({ showTruth: e.currentTarget.checked })} data-testid="toggle-truth" aria-keyshortcuts={singleKeys ? 't' : undefined} />
          <span className="swatch truth" /> Ground truth
        </label>
        <span>
          <span className="swatch both" /> Both
        </span>
      </div>
      {singleKeys && (
        <p className="muted small key-hints" data-testid="overlay-key-hints">
          Keys: <kbd>p</kbd> prediction, <kbd>t</kbd> ground truth (on or off).
        </p>
      )}
      {current && (
        <div className="row" ref={truthRow}>
          {current.truth ? (
            <>
              <span className="small muted truncate" title={current.truth.file}>Truth: {current.truth.file}</span>
              <button
                type="button"
                className="btn small-btn"
                onClick={() => {
                  refocus.current = true;
                  removeTruth();
                }}
              >
                Remove
              </button>
            </>
          ) : (
            <FileButton
              label="Add ground-truth mask…"
              accept=".tif,.tiff,.png"
              onFiles={(f, at) => {
                refocus.current = true;
                void openFiles(f, at);
              }}
              testId="truth-input"
            />
          )}
        </div>
      )}
    </section>
  );
}
