/**
 * A service worker whose install fails (the precache does not fit the storage quota, a file could not be fetched)
 * ends `redundant` without a word: the user believes the app works offline, and a new version never arrives. This
 * watches every install of a registration and says once what happened and what still works.
 */
export function watchServiceWorkerInstalls(registration: ServiceWorkerRegistration, onFailure: (message: string) => void): void {
  let told = false;
  const watch = (worker: ServiceWorker | null) => {
    if (!worker) return;
    const update = registration.active !== null;
    // A worker that installed and was later replaced by a newer one also ends redundant: that is no failure.
    let installed = false;
    worker.addEventListener('statechange', () => {
      if (worker.state === 'installed' || worker.state === 'activating' || worker.state === 'activated') installed = true;
      if (worker.state !== 'redundant' || installed || told) return;
      told = true;
      onFailure(
        update
          ? 'A new version of the app could not be stored on this device (often: storage is full); this version keeps working, and the next visit tries again.'
          : 'The app could not be stored on this device for offline use (often: storage is full); it works while this page can reach its server.',
      );
    });
  };
  watch(registration.installing);
  registration.addEventListener('updatefound', () => watch(registration.installing));
}

