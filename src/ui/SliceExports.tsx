import type { BinaryMask } from '../core/image';
import { predictedMaskFile } from '../io/exportTiff';
import { usePatient } from '../state/patient';
import type { CurrentSlice } from '../state/store';
import { download, downloadViewPng } from './download';
import { fixed } from './format';

/**
 * Saves what the user sees for one slice: `predicted`, the two-stage mask at the current threshold, as an 8-bit 0/255
 * TIFF in the size of the file given (a 512x512 PNG gets a 512x512 mask, nearest neighbour), and the view as PNG.
 * The patient view has its own exports (CSV, all masks), so these show for a single slice.
 */
export function SliceExports(props: { current: CurrentSlice; predicted: BinaryMask; threshold: number }) {
  const { current, predicted, threshold } = props;
  const inPatient = usePatient((s) => s.slices.length > 0);
  if (inPatient) return null;
  const saveMask = () => {
    const file = predictedMaskFile(current.name.file, predicted, current.sourceSize ?? current.image);
    download(file.name, file.data, 'image/tiff');
  };
  return (
    <div className="row small" data-testid="slice-exports">
      <button type="button" className="btn small-btn" onClick={saveMask} data-testid="save-mask" title={`The mask shown at threshold ${fixed(threshold)}`}>
        Save mask (TIFF)
      </button>
      <button type="button" className="btn small-btn" onClick={() => void downloadViewPng()} data-testid="save-view">
        Save view (PNG)
      </button>
    </div>
  );
}
