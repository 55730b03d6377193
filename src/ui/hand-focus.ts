/**
 * Where focus goes when the control it was on is about to leave the page (a closed message, a closed patient, an
 * answered prompt): to `to` if it is still there, else to "Open slice…", the page's first action, never to <body>,
 * which sends a screen reader back to the top. After the next frame, once React has removed the old control.
 */
export function handFocus(to: HTMLElement | null | undefined): void {
  const target = to?.isConnected ? to : document.getElementById('open-slice');
  requestAnimationFrame(() => target?.focus());
}
