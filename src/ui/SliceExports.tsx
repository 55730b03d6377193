import { resizeMaskNearest } from '../core/resize';
import { maskTiff } from '../io/exportTiff';
import { displayed } from '../state/derived';
import { usePatient } from '../state/patient';
import { useStore } from '../state/store';
import { download, downloadViewPng } from './download';
import { fixed } from './format';

/** `<slice>_predicted_mask.tif`: ends in `_mask` like the LGG masks, but never the name of the slice's own ground truth. */
export function predictedMaskFileName(sliceFile: string): string {
  return `${sliceFile.replace(/\.[^.]*$/, '')}_predicted_mask.tif`;
}

/**
 * Saves what the user sees for one slice: the two-stage mask at the current threshold as an 8-bit 0/255 TIFF in the
 * size of the file given (a 512x512 PNG gets a 512x512 mask, nearest neighbour), and the view as PNG. The patient
 * view has its own exports (CSV, all masks), so these show for a single slice.
 */
export function SliceExports() {
  const current = useStore((s) => s.current);
  const threshold = useStore((s) => s.threshold);
  const inPatient = usePatient((s) => s.slices.length > 0);
  const shown = displayed(current, threshold);
  if (!current || !shown.predicted || inPatient) return null;
  const saveMask = () => {
    const size = current.sourceSize ?? current.image;
    const mask = size.width === shown.predicted!.width && size.height === shown.predicted!.height ? shown.predicted! : resizeMaskNearest(shown.predicted!, size.width, size.height);
    download(predictedMaskFileName(current.name.file), maskTiff(mask), 'image/tiff');
  };
  return (
    <div className="row small" data-testid="slice-exports">
      <button type="button" className="btn small-btn" onClick={saveMask} data-testid="save-mask" title={`The mask shown at threshold ${fixed(threshold)}`}>
        Save mask (TIFF)
      </button>
      <button type="button" className="btn small-btn" onClick={() => downloadViewPng(current.name.file)} data-testid="save-view">
        Save view (PNG)
      </button>
    </div>
  );
}
