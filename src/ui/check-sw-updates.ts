/**
 * The browser looks for a new service worker only when the app is navigated to (and on some events at most once a
 * day), so a tab left open all day, as a reading room keeps it, would never hear of a new version. This asks every
 * UPDATE_CHECK_MS while the page is visible and online, and at once when it comes back into view after a longer
 * absence; a new version found this way shows the usual "update available" offer (UpdatePrompt).
 */
export const UPDATE_CHECK_MS = 60 * 60 * 1000;

export function checkForUpdatesPeriodically(registration: ServiceWorkerRegistration, intervalMs = UPDATE_CHECK_MS): () => void {
  let lastCheck = Date.now();
  const check = () => {
    if (document.visibilityState !== 'visible' || !navigator.onLine) return;
    lastCheck = Date.now();
    // A failed check (server down, offline after all) is simply tried again at the next one.
    registration.update().catch(() => undefined);
  };
  const timer = setInterval(check, intervalMs);
  const onVisible = () => {
    if (Date.now() - lastCheck >= intervalMs) check();
  };
  document.addEventListener('visibilitychange', onVisible);
  return () => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
