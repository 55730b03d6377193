/// <reference types="vite-plugin-pwa/react" />
import { useEffect, useRef, useState } from 'react';
import { useRegisterSW } from 'virtual:pwa-register/react';
import { usePatient } from '../state/patient';
import { useStore } from '../state/store';
import './update-prompt.css';
import { checkForUpdatesPeriodically } from './check-sw-updates';
import { handFocus } from './hand-focus';
import { watchServiceWorkerInstalls } from './watch-sw-install';

/** How long "ready to work offline" stays: it is news once, and at the window's corner it covers the side panel's foot. */
const OFFLINE_READY_MS = 10_000;

/**
 * The service worker is registered once the engine has loaded the models (ready or failed), or at once when one
 * already controls the page (a returning visit: the models come from its cache, and the update check should not wait).
 * On a first visit its precache then finds the shards the page has just downloaded in the HTTP cache (they are listed
 * with `revision: null`, scripts/vite/versioned-shards.ts); registered earlier, its requests could race the page's
 * own for the same shards, and both go to the network. Once registered it stays, whatever the engine does next.
 */
export function UpdatePrompt() {
  const settled = useStore((s) => s.engine.phase === 'ready' || s.engine.phase === 'failed');
  const [register, setRegister] = useState(() => typeof navigator !== 'undefined' && !!navigator.serviceWorker?.controller);
  useEffect(() => {
    if (settled) setRegister(true);
  }, [settled]);
  return register ? <RegisteredUpdatePrompt /> : null;
}

/**
 * Registers the service worker (offline copy of the app and models) and, when a new version has been deployed (found
 * on a visit, or by the hourly check of an open tab), offers to reload into it; until the user accepts, the running
 * version keeps working. Accepting in one tab hands every tab of the app to the new version: only the tab that
 * accepted reloads; the others are told and reload when their user says so (the library would reload them at once,
 * throwing away a patient being read there). The offers stay until answered; "ready to work offline" goes by itself
 * after OFFLINE_READY_MS.
 */
function RegisteredUpdatePrompt() {
  const acceptedHere = useRef(false);
  const [updatedElsewhere, setUpdatedElsewhere] = useState(false);
  // Set below, once the hook has given setNeedRefresh: the offer of the version now running is void (its Reload would
  // message a worker that no longer waits), so "updated in another tab" replaces it rather than hiding it.
  const updatedInAnotherTab = useRef(() => {});
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    // The new version took control of this tab: reload only if this tab asked for it.
    onNeedReload: () => (acceptedHere.current ? window.location.reload() : updatedInAnotherTab.current()),
    onRegisteredSW: (_url, registration) => {
      if (!registration) return;
      watchServiceWorkerInstalls(registration, (message) => useStore.getState().addMessage('error', message, 'app'));
      checkForUpdatesPeriodically(registration);
    },
  });
  updatedInAnotherTab.current = () => {
    setNeedRefresh(false);
    setUpdatedElsewhere(true);
  };
  // A tab that never saw the offer (it opened after the update was found elsewhere) learns of it from the change of controller.
  useEffect(() => {
    const sw = navigator.serviceWorker;
    if (!sw) return;
    let previous = sw.controller;
    const onChange = () => {
      // The first visit's worker claiming the page (no controller before) is not an update.
      if (previous && !acceptedHere.current) updatedInAnotherTab.current();
      previous = sw.controller;
    };
    sw.addEventListener('controllerchange', onChange);
    return () => sw.removeEventListener('controllerchange', onChange);
  }, []);
  // Ask the browser to keep the offline copy (best-effort storage may be evicted under pressure); no prompt in Chromium.
  useEffect(() => {
    if (offlineReady) void navigator.storage?.persist?.().catch(() => false);
  }, [offlineReady]);
  // An hourly check can find the update in the middle of a patient's reading: the offer says what a reload loses.
  const patientOpen = usePatient((s) => s.slices.some((x) => x.analysis));
  // The timer waits while the pointer or focus is on the message, so it never leaves under the user's hand.
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (!offlineReady || needRefresh || held) return;
    const timer = setTimeout(() => setOfflineReady(false), OFFLINE_READY_MS);
    return () => clearTimeout(timer);
  }, [offlineReady, needRefresh, held, setOfflineReady]);
  const closesPatient = patientOpen && ' Reloading closes the patient view: export its results first if you need them.';
  const reload = () => {
    acceptedHere.current = true;
    if (updatedElsewhere) window.location.reload();
    else void updateServiceWorker(true);
  };
  const shown = needRefresh || offlineReady || updatedElsewhere;
  const box = useRef<HTMLDivElement>(null);
  useReservedSpace(box, shown);
  // Where focus was before it came into the message: it goes back there when the message is answered or closed.
  const cameFrom = useRef<HTMLElement | null>(null);
  const close = () => (updatedElsewhere ? setUpdatedElsewhere(false) : needRefresh ? setNeedRefresh(false) : setOfflineReady(false));
  const later = (refocus = true) => {
    close();
    if (refocus) handFocus(cameFrom.current);
  };
  // Escape answers "Later" (or closes the offline note) from anywhere on the page, as it closes any passing message
  // (the message comes last in the Tab order); focus stays where it is unless it was on the message.
  const laterNow = useRef(later);
  laterNow.current = later;
  useEffect(() => {
    if (!shown) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) laterNow.current(!!box.current?.contains(document.activeElement));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shown]);
  if (!shown) return null;
  return (
    <div
      ref={box}
      className="update-prompt"
      role="status"
      data-testid="update-prompt"
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={(e) => {
        setHeld(true);
        if (e.relatedTarget instanceof HTMLElement && !box.current?.contains(e.relatedTarget)) cameFrom.current = e.relatedTarget;
      }}
      onBlur={() => setHeld(false)}
    >
      {updatedElsewhere || needRefresh ? (
        <>
          <span>
            {updatedElsewhere ? 'The app was updated in another tab; this tab still runs the old version until it is reloaded.' : 'A new version of the app is available.'}
            {closesPatient}
          </span>
          <button type="button" className="btn" onClick={reload}>Reload</button>
          <button type="button" className="btn link" onClick={() => later()}>Later</button>
        </>
      ) : (
        <>
          <span>Ready to work offline: the app and its models are stored on this device.</span>
          <button type="button" className="btn link" aria-label="Dismiss: ready to work offline" onClick={() => later()}>×</button>
        </>
      )}
    </div>
  );
}

/**
 * While the message is shown it sits over the foot of the side panel (and of the page on a phone): both get that much
 * room below their content and as scroll padding, so their last controls can be scrolled clear of it and a control
 * reached with Tab is scrolled into the part the message leaves visible.
 */
function useReservedSpace(box: { current: HTMLElement | null }, shown: boolean): void {
  useEffect(() => {
    const root = document.documentElement;
    const el = box.current;
    if (!shown || !el) return;
    const reserve = () => root.style.setProperty('--update-prompt-space', `${el.offsetHeight + 24}px`);
    reserve();
    const observer = new ResizeObserver(reserve);
    observer.observe(el);
    root.dataset.updatePrompt = 'shown';
    return () => {
      observer.disconnect();
      delete root.dataset.updatePrompt;
      root.style.removeProperty('--update-prompt-space');
    };
  }, [box, shown]);
}
