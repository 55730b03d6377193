import { useStore } from '../state/store';
import { usePatient } from '../state/patient';
import { patientPlace, viewCaption, viewPngFileName } from './view-caption';
import { viewFigurePng } from './view-figure';

/** Starts a browser download of bytes or text. */
export function download(name: string, data: Uint8Array | string, type: string): void {
  const blob = new Blob([typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>)], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Saves the slice on screen as drawn (image, overlays, opacity) with its caption, as `<slice>_view_t<threshold>.png`: a
 * figure that says which slice, which answer at which threshold, and which colour is which (src/ui/view-caption.ts).
 */
export async function downloadViewPng(): Promise<void> {
  const { current, threshold, overlay, addMessage } = useStore.getState();
  const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="slice-canvas"]');
  if (!current || !canvas) return;
  const place = patientPlace(current, usePatient.getState().slices);
  try {
    const png = await viewFigurePng(canvas, viewCaption(current, threshold, overlay, new Date(), place));
    download(viewPngFileName(current.name.file, threshold), png, 'image/png');
  } catch (e) {
    addMessage('error', `The view could not be saved as PNG: ${e instanceof Error ? e.message : String(e)}`);
  }
}
