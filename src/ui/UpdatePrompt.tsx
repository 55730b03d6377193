/// <reference types="vite-plugin-pwa/react" />
import { useEffect, useState } from 'react';
import { useRegisterSW } from 'virtual:pwa-register/react';
import './update-prompt.css';

/** How long "ready to work offline" stays: it is news once, and at the window's corner it covers the side panel's foot. */
const OFFLINE_READY_MS = 10_000;

/**
 * Registers the service worker (offline copy of the app and models) and, when a new version has been
 * deployed, offers to reload into it; until the user accepts, the running version keeps working. The update offer
 * stays until answered; "ready to work offline" goes by itself after OFFLINE_READY_MS.
 */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW();
  // The timer waits while the pointer or focus is on the message, so it never leaves under the user's hand.
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (!offlineReady || needRefresh || held) return;
    const timer = setTimeout(() => setOfflineReady(false), OFFLINE_READY_MS);
    return () => clearTimeout(timer);
  }, [offlineReady, needRefresh, held, setOfflineReady]);
  if (!needRefresh && !offlineReady) return null;
  return (
    <div
      className="update-prompt"
      role="status"
      data-testid="update-prompt"
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
    >
      {needRefresh ? (
        <>
          <span>A new version of the app is available.</span>
          <button type="button" className="btn" onClick={() => void updateServiceWorker(true)}>Reload</button>
          <button type="button" className="btn link" onClick={() => setNeedRefresh(false)}>Later</button>
        </>
      ) : (
        <>
          <span>Ready to work offline: the app and its models are stored on this device.</span>
          <button type="button" className="btn link" aria-label="Dismiss" onClick={() => setOfflineReady(false)}>×</button>
        </>
      )}
    </div>
  );
}
