import { useEffect, useRef } from 'react';
import { useStore } from '../state/store';
import { displayed } from '../state/derived';
import { composite } from './composite';
import { FileButton } from './FileButton';
import { openFiles } from '../state/actions';

/** The MRI with its overlays, scaled to fit and drawn with crisp (pixelated) pixels. */
export function SliceView() {
  const current = useStore((s) => s.current);
  const threshold = useStore((s) => s.threshold);
  const overlay = useStore((s) => s.overlay);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !current) return;
    const { image } = current;
    const shown = displayed(current, threshold);
    el.width = image.width;
    el.height = image.height;
    const pixels = composite(image, {
      channel: overlay.channel,
      opacity: overlay.opacity,
      predicted: overlay.showPrediction ? shown.predicted : null,
      truth: overlay.showTruth && current.truth ? current.truth.mask : null,
    });
    el.getContext('2d')!.putImageData(new ImageData(pixels, image.width, image.height), 0, 0);
  }, [current, threshold, overlay]);

  if (!current)
    return (
      <div className="viewer empty" data-testid="empty-view">
        <div className="empty-box">
          <p className="empty-title">Drop a brain MRI slice here</p>
          <p className="muted">
            A 256×256 TIFF from the LGG set (pre-contrast, FLAIR, post-contrast), optionally with its <code>_mask.tif</code> as
            ground truth. PNG and JPEG work too. Everything stays on this computer.
          </p>
          <FileButton label="Choose files…" primary onFiles={(f, at) => void openFiles(f, at)} testId="file-input-empty" />
        </div>
      </div>
    );

  return (
    <div className="viewer">
      <canvas ref={canvas} data-testid="slice-canvas" aria-label={`MRI slice ${current.name.file} with overlays`} role="img" />
      {(current.analyzing || current.segmenting) && (
        <div className="busy" role="progressbar" aria-label="Analyzing">
          {current.segmenting ? 'Segmenting…' : 'Analyzing…'}
        </div>
      )}
    </div>
  );
}
