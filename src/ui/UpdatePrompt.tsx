/// <reference types="vite-plugin-pwa/react" />
import { useRegisterSW } from 'virtual:pwa-register/react';
import './update-prompt.css';

/**
 * Registers the service worker (offline copy of the app and models) and, when a new version has been
 * deployed, offers to reload into it; until the user accepts, the running version keeps working.
 */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW();
  if (!needRefresh && !offlineReady) return null;
  return (
    <div className="update-prompt" role="status" data-testid="update-prompt">
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
