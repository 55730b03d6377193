import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '../state/store';
import { displayed } from '../state/derived';
import { composite } from '../core/overlay';
import { FileButton } from './FileButton';
import { openFiles } from '../state/actions';
import { usePatient } from '../state/patient';
import { capital } from '../state/patientSummary';
import { patientPlace, placeText, viewDescription } from './view-caption';
import './view-label.css';

const ZOOMS = [
  { value: 0, label: 'Fit' },
  { value: 1, label: '1:1' },
  { value: 2, label: '2×' },
  { value: 4, label: '4×' },
];

/** The MRI with its overlays, scaled to fit and drawn with crisp (pixelated) pixels. */
export function SliceView() {
  const current = useStore((s) => s.current);
  const threshold = useStore((s) => s.threshold);
  const overlay = useStore((s) => s.overlay);
  const patientSlices = usePatient((s) => s.slices);
  const canvas = useRef<HTMLCanvasElement>(null);
  // 0 = fit the window; otherwise screen pixels per image pixel (pixelated, scrollable).
  const [zoom, setZoom] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);

  // A new zoom level starts centred on the image rather than at its top-left corner.
  useEffect(() => {
    const el = scroller.current;
    if (el && zoom) el.scrollTo((el.scrollWidth - el.clientWidth) / 2, (el.scrollHeight - el.clientHeight) / 2);
  }, [zoom]);

  // What the threshold makes of the slice's result: drawn on the canvas and put in words as its text alternative.
  // Once per slice or threshold, not on every render (the patient's results re-render this view as they come).
  const shown = useMemo(() => current && displayed(current, threshold), [current, threshold]);
  useEffect(() => {
    const el = canvas.current;
    if (!el || !current || !shown) return;
    const { image } = current;
    el.width = image.width;
    el.height = image.height;
    const pixels = composite(image, {
      channel: overlay.channel,
      opacity: overlay.opacity,
      predicted: overlay.showPrediction ? shown.predicted : null,
      truth: overlay.showTruth && current.truth ? current.truth.mask : null,
    });
    el.getContext('2d')!.putImageData(new ImageData(pixels, image.width, image.height), 0, 0);
  }, [current, shown, overlay]);

  if (!current)
    return (
      <div className="viewer empty" data-testid="empty-view">
        <div className="empty-box">
          <p className="empty-title">Drop a brain MRI slice here</p>
          <p className="muted">
            A 256×256 TIFF from the LGG set (pre-contrast, FLAIR, post-contrast), optionally with its <code>_mask.tif</code> as
            ground truth. PNG and JPEG work too. A patient's folder (or several slices) opens the whole volume. Everything
            stays on this computer.
          </p>
          <div className="empty-actions">
            <FileButton label="Choose files…" primary onFiles={(f, at) => void openFiles(f, at)} testId="file-input-empty" />
            <FileButton label="Choose a patient folder…" directory onFiles={(f, at) => void openFiles(f, at)} testId="folder-input-empty" />
          </div>
        </div>
      </div>
    );

  const place = patientPlace(current, patientSlices);
  const size = zoom ? { width: current.image.width * zoom, height: current.image.height * zoom } : undefined;
  return (
    <div className={zoom ? 'viewer zoomed' : 'viewer'}>
      {/* Zoomed, the image is a region keyboard users can focus and pan with the arrow keys; the keys stay here,
          not with the page (in a patient's view they would change the slice). */}
      <div
        className="zoom-scroll"
        ref={scroller}
        tabIndex={zoom ? 0 : -1}
        role={zoom ? 'region' : undefined}
        aria-label={zoom ? 'Zoomed image: the arrow keys pan' : undefined}
        data-testid="zoom-scroll"
        onKeyDown={(e) => {
          if (zoom && ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End'].includes(e.key)) e.stopPropagation();
        }}
      >
        <canvas ref={canvas} style={size} data-testid="slice-canvas" aria-label={viewDescription(current, threshold, overlay, shown ?? undefined)} role="img" />
      </div>
      <div className="zoom-bar" role="group" aria-label="Zoom">
        {ZOOMS.map((z) => (
          <button key={z.value} type="button" className={zoom === z.value ? 'btn chip active' : 'btn chip'} aria-pressed={zoom === z.value} onClick={() => setZoom(z.value)}>
            {z.label}
          </button>
        ))}
      </div>
      <div className="view-label" data-testid="view-label">
        {place && `${capital(placeText(current.name, place, false))} · `}
        {current.name.file}
      </div>
      {(current.analyzing || current.segmenting) && (
        <div className="busy" role="progressbar" aria-label="Analyzing">
          {current.segmenting ? 'Segmenting…' : 'Analyzing…'}
        </div>
      )}
    </div>
  );
}
