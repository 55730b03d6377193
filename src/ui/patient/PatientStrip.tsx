import { memo, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactElement } from 'react';
import type { RgbImage } from '../../core/image';
import { analyzedCount, cancelPatient, failedCount, resumePatient, selectSlice, usePatient } from '../../state/patient';
import { inputNote, missingSlices, sliceDecisions, missingText, patientOf, rangeText, sliceRows, unreadText, type MissingSlices, type UnreadSlice } from '../../state/patientSummary';
import { useStore } from '../../state/store';
import { composite, type ViewChannel } from '../../core/overlay';
import { ProbabilityPlot } from './Curves';
import { sliceName, useSliceAnnouncement, usePatientKeys } from './slice-steps';
import './patient.css';

/** A slice in the channel the main view shows (FLAIR in gray by default), so the strip and the view look alike. */
const Thumb = memo(function Thumb(props: { image: RgbImage; channel: ViewChannel }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const { width, height } = props.image;
    const rgba = composite(props.image, { channel: props.channel, opacity: 0, predicted: null, truth: null });
    const el = ref.current!;
    el.width = width;
    el.height = height;
    el.getContext('2d')!.putImageData(new ImageData(rgba, width, height), 0, 0);
  }, [props.image, props.channel]);
  return <canvas ref={ref} className="thumb-img" data-testid="thumb-canvas" />;
});

/** In the strip, where slice `u.index` would be: its file was given but could not be read (no figure counts it). */
function UnreadThumb({ u }: { u: UnreadSlice }) {
  return (
    <div role="option" aria-selected={false} aria-disabled={true} className="thumb unread" title={u.reason} data-testid="thumb-unread">
      <span className="thumb-img" aria-hidden="true">✕</span>
      <span className="thumb-label">{u.index} unread</span>
    </div>
  );
}

/** In the strip, where slices `m.from`..`m.to` would be: their numbers lie between slices given, but no file of them was. */
function MissingThumb({ m }: { m: MissingSlices }) {
  const one = m.from === m.to;
  return (
    <div role="option" aria-selected={false} aria-disabled={true} className="thumb unread missing" title={`${one ? 'Slice' : 'Slices'} ${rangeText(m)}: not among the files given`} data-testid="thumb-missing">
      <span className="thumb-img" aria-hidden="true">…</span>
      <span className="thumb-label">{rangeText(m)} not given</span>
    </div>
  );
}

type Gap = { at: number; el: ReactElement };

/** What the status region says once a run ends (per-slice progress is not announced: 20 updates would drown the reader). */
function runEndText(): string {
  const p = usePatient.getState();
  const threshold = useStore.getState().threshold;
  const n = analyzedCount(p);
  const flagged = sliceDecisions(p.slices, threshold).filter(Boolean).length;
  const failed = failedCount(p);
  const how = n + failed < p.slices.length ? 'Run stopped' : 'Run finished';
  return `${how}: ${n} of ${p.slices.length} slices analyzed${failed > 0 ? `, ${failed} failed` : ''}, ${flagged} called tumor at ${threshold.toFixed(2)}.`;
}

/** Progress, the slice strip and the probability-along-the-volume plot under the main view. */
export function PatientStrip() {
  const slices = usePatient((s) => s.slices);
  const unread = usePatient((s) => s.unread);
  const selected = usePatient((s) => s.selected);
  const running = usePatient((s) => s.running);
  const cancelled = usePatient((s) => s.cancelled);
  const done = usePatient(analyzedCount);
  const failed = usePatient(failedCount);
  const threshold = useStore((s) => s.threshold);
  const singleKeys = useStore((s) => s.singleKeys);
  const channel = useStore((s) => s.overlay.channel);
  const strip = useRef<HTMLDivElement>(null);
  const [said, toFlagged] = useSliceAnnouncement(strip);
  usePatientKeys(slices.length, toFlagged);
  // The run's end, said once: set when running turns false, cleared when a run starts, untouched by the threshold after.
  const [ended, setEnded] = useState('');
  const wasRunning = useRef(running);
  useEffect(() => {
    if (running) setEnded('');
    else if (wasRunning.current) setEnded(runEndText());
    wasRunning.current = running;
  }, [running]);
  useEffect(() => {
    // Scroll only the strip (scrollIntoView would also scroll the page on a short screen).
    const box = strip.current;
    const el = box?.querySelector<HTMLElement>('.thumb.selected');
    if (!box || !el) return;
    const left = el.offsetLeft; // .thumbs is positioned: offsets are relative to it
    if (left < box.scrollLeft) box.scrollLeft = left;
    else if (left + el.offsetWidth > box.scrollLeft + box.clientWidth) box.scrollLeft = left + el.offsetWidth - box.clientWidth;
    // Focus follows the selection inside the strip (one tab stop, the selected slice), so Enter acts on what is shown.
    if (box.contains(document.activeElement) && document.activeElement !== el) el.focus({ preventScroll: true });
  }, [selected]);
  if (slices.length === 0) return null;
  // In the slice list (a listbox), Home and End go to the first and the last slice, and ArrowUp/ArrowDown move like
  // ArrowLeft/ArrowRight (screen readers announce up/down for a listbox); outside it these keys scroll the page.
  const onListKey = (e: ReactKeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const to = { Home: 0, End: slices.length - 1, ArrowUp: selected - 1, ArrowDown: selected + 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    selectSlice(to);
  };
  const keysHint = `← → / PgUp PgDn; ${singleKeys ? 'N Shift+N called tumor; ' : ''}Home End in the strip`;
  const rows = sliceRows(slices, threshold);
  const flagged = rows.filter((r) => r.decision).length;
  const missing = missingSlices(slices, unread);
  const notGiven = missingText(missing);
  // Slices given but unread, and numbers missing between those given: a placeholder each (a run of missing numbers, one).
  const gaps: Gap[] = [
    ...unread.map((u) => ({ at: u.index, el: <UnreadThumb key={`unread-${u.index}`} u={u} /> })),
    ...missing.map((m) => ({ at: m.from, el: <MissingThumb key={`missing-${m.from}`} m={m} /> })),
  ].sort((a, b) => a.at - b.at);
  // The plot keeps the same gaps: each bar at its slice number's place (numbered slices), else in order.
  const numbered = slices.every((s) => s.name.index !== null) && patientOf(slices) !== null;
  const first = numbered ? Math.min(...slices.map((s) => s.name.index!), ...unread.map((u) => u.index)) : 0;
  const last = numbered ? Math.max(...slices.map((s) => s.name.index!), ...unread.map((u) => u.index)) : slices.length - 1;
  const positions = slices.map((s, i) => (numbered ? s.name.index! - first : i));
  const hasTruth = slices.some((s) => s.truth);
  const title = patientOf(slices) ?? `${slices.length} images`;
  const stopped = !running && done + failed < slices.length; // cancelled, or the models failed
  const status = cancelled && running ? ' (stopping…)' : stopped ? ' (stopped)' : '';
  return (
    <div className="patient-strip" data-testid="patient-strip">
      <div className="patient-progress">
        <span data-testid="patient-progress-text">
          {title}: {done}/{slices.length} slices analyzed{failed > 0 ? `, ${failed} failed` : ''}
          {status}
          {unread.length > 0 && <span className="warn">; {unreadText(unread)}</span>}
          {notGiven && <span className="warn" data-testid="patient-missing">; {notGiven}</span>}
        </span>
        <progress max={slices.length} value={done} aria-label="Slices analyzed" />
        {running && !cancelled && (
          <button type="button" className="btn small-btn" onClick={cancelPatient} data-testid="patient-cancel">
            Cancel
          </button>
        )}
        {!running && (stopped || failed > 0) && (
          <button type="button" className="btn small-btn" onClick={resumePatient} data-testid="patient-resume">
            {failed > 0 ? 'Retry' : 'Resume'}
          </button>
        )}
        {done > 0 && (
          // Kept when the threshold leaves none called tumor (aria-disabled, not disabled): a button that went away
          // under the user's focus dropped it to the page.
          <span className="flagged-nav" data-testid="flagged-nav">
            <button type="button" className="btn small-btn" onClick={() => toFlagged(-1)} aria-disabled={flagged === 0} aria-label="Previous slice called tumor" title={`Previous slice called tumor${singleKeys ? ' (Shift+N)' : ''}`}>‹</button>
            <span data-testid="flagged-count">{flagged} called tumor</span>
            <button type="button" className="btn small-btn" onClick={() => toFlagged(1)} aria-disabled={flagged === 0} aria-label="Next slice called tumor" title={`Next slice called tumor${singleKeys ? ' (N)' : ''}`}>›</button>
          </span>
        )}
        <span className="muted patient-keys" data-testid="patient-keys" title={keysHint}>
          {keysHint}
        </span>
        {/* There from the start and empty during the run, so that its one text is announced when the run ends. */}
        <span role="status" className="visually-hidden" data-testid="patient-run-status">
          {ended}
        </span>
        <span role="status" className="visually-hidden" data-testid="slice-status">
          {said}
        </span>
      </div>
      <div className="thumbs" ref={strip} role="listbox" aria-label="Slices" aria-orientation="horizontal" data-testid="thumbs" onKeyDown={onListKey}>
        {slices.map((s, i) => {
          const r = rows[i];
          const cls = r.decision === null ? '' : r.decision ? ' tumor' : ' clear';
          // Its input lies outside what the models were validated on: a "!" in its label (the panel says why).
          const outside = inputNote(s.notes);
          // The unread and missing slices stand where they belong in the volume, so the strip does not jump from 4 to 6 unsaid.
          const before = s.name.index === null ? [] : gaps.filter((g) => g.at < s.name.index! && (i === 0 || g.at > (slices[i - 1].name.index ?? Infinity)));
          const after = i === slices.length - 1 && s.name.index !== null ? gaps.filter((g) => g.at > s.name.index!) : [];
          return [
            ...before.map((g) => g.el),
            <button
              key={s.name.file}
              type="button"
              role="option"
              aria-selected={i === selected}
              tabIndex={i === selected ? 0 : -1}
              aria-label={sliceName(s.name.index ?? i + 1, r, { error: !!s.error, running }, outside)}
              className={`thumb${cls}${i === selected ? ' selected' : ''}`}
              onClick={() => selectSlice(i)}
              title={`${s.name.file}${r.truthTumor ? ' (tumor in its mask)' : ''}${outside ? `; outside the validated input: ${outside}` : ''}`}
              data-testid="thumb"
            >
              <Thumb image={s.image} channel={channel} />
              <span className="thumb-label">
                {s.name.index ?? i + 1}
                {outside && (
                  <span className="thumb-flag" title={`Outside the validated input: ${outside}`} data-testid="thumb-flag">
                    !
                  </span>
                )}
                {r.truthTumor ? '•' : ''} {r.probability === null ? (s.error ? 'err' : running ? '…' : '–') : r.probability.toFixed(3)}
              </span>
            </button>,
            ...after.map((g) => g.el),
          ];
        })}
      </div>
      <ProbabilityPlot probabilities={rows.map((r) => r.probability)} decisions={rows.map((r) => r.decision)} truthTumor={hasTruth ? rows.map((r) => r.truthTumor) : undefined} threshold={threshold} selected={selected} onSelect={selectSlice} positions={positions} span={last - first + 1} />
      <p className="plot-legend muted small" data-testid="plot-legend">
        Bars: tumor probability per slice, <span className="swatch bar-above" aria-hidden="true" /> at or above the threshold, <span className="swatch bar-below" aria-hidden="true" /> below; <span className="swatch threshold" aria-hidden="true" /> line: the threshold ({threshold.toFixed(2)})
        {hasTruth && (
          <>
            ; <span className="swatch truth-mark" aria-hidden="true" /> marks under the bars: tumor in the slice's mask
          </>
        )}
        {gaps.length > 0 && '; gaps: slices not given or not read'}.
      </p>
    </div>
  );
}
