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

/** Saves the slice view as drawn (image, overlays, opacity) as `<slice>_view.png`. */
export function downloadViewPng(sliceFile: string): void {
  const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="slice-canvas"]');
  canvas?.toBlob((b) => b && b.arrayBuffer().then((buf) => download(sliceFile.replace(/\.[^.]*$/, '') + '_view.png', new Uint8Array(buf), 'image/png')));
}
