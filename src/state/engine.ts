/** The one TumorAnalyzer of the page: started at load, restarted when the user picks another backend. */
import { createTumorAnalyzer, parseBackend } from '../inference/factory';
import type { BackendName, TumorAnalyzer } from '../inference/types';
import { reanalyzeCurrent } from './actions';
import { initialEngine, useStore } from './store';

const SETTING_KEY = 'lgg.backend';
let analyzer: TumorAnalyzer | null = null;

export function getAnalyzer(): TumorAnalyzer | null {
  return analyzer;
}

/** `?backend=` in the address wins over the saved setting; neither means automatic. */
export function requestedBackend(): { backend: BackendName | null; source: 'query' | 'setting' | null } {
  const query = parseBackend(new URLSearchParams(location.search).get('backend'));
  if (query) return { backend: query, source: 'query' };
  const setting = useStore.getState().backendSetting;
  return setting ? { backend: setting, source: 'setting' } : { backend: null, source: null };
}

export function loadBackendSetting(): void {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(SETTING_KEY);
  } catch {
    // storage blocked: the automatic choice stays
  }
  useStore.setState({ backendSetting: parseBackend(saved) });
}

export function startEngine(): void {
  analyzer?.dispose();
  const { backend } = requestedBackend();
  useStore.setState({ engine: { ...initialEngine, phase: 'loading', status: 'starting the inference worker', loadingSince: performance.now() } });
  const engine = () => useStore.getState().engine;
  const warmUp = new URLSearchParams(location.search).get('warmup') !== '0';
  // The time-left clock starts at the first bytes, not here: the worker's own start is no part of the download rate.
  let firstBytesAt: number | null = null;
  const current = createTumorAnalyzer(backend, {
    onStatus: (status) => useStore.setState({ engine: { ...engine(), status } }),
    onProgress: ({ model, ...bytes }) => {
      const now = performance.now();
      firstBytesAt ??= now;
      useStore.setState({ engine: { ...engine(), progress: { ...engine().progress, [model]: bytes }, downloadMs: now - firstBytesAt, lastBytesAt: now } });
    },
    onModelInfo: (info) => {
      if (analyzer !== current) return;
      if (info.model === 'combined') useStore.setState({ engine: { ...engine(), combined: info.card, combinedNote: info.note } });
      else if (info.model === 'segmenter2') useStore.setState({ engine: { ...engine(), cards: { ...engine().cards, segmenter2: info.card }, segmenter2Note: info.note } });
      else useStore.setState({ engine: { ...engine(), cards: { ...engine().cards, [info.model]: info.card } } });
    },
    onBackendLost: (lost) => {
      if (analyzer !== current) return;
      const { addMessage } = useStore.getState();
      if (!lost.backend) {
        addMessage('error', `The GPU was lost (${lost.reason}) and WebAssembly failed too (${lost.error}); reload the page.`, 'app');
        useStore.setState({ engine: { ...engine(), phase: 'failed', status: 'failed', error: lost.error } });
        return;
      }
      addMessage('error', `The GPU was lost (${lost.reason}); switched to WebAssembly.`, 'app');
      useStore.setState({ engine: { ...engine(), backend: lost.backend } });
      void reanalyzeCurrent();
    },
  }, warmUp);
  analyzer = current;
  current.ready.then(
    (info) => {
      if (analyzer !== current) return;
      if (backend && info.backend.name !== backend)
        useStore.getState().addMessage('info', `The requested backend ${backend} did not work here (${info.backend.skipped.at(-1) ?? 'unknown reason'}); using ${info.backend.name}.`, 'app');
      useStore.setState({
        engine: { ...engine(), phase: 'ready', status: 'ready', backend: info.backend, backendMs: info.backendMs, loadMs: info.loadMs, warmupMs: info.warmupMs, warmUp: info.warmUp },
      });
    },
    (e: Error) => {
      if (analyzer !== current) return;
      useStore.setState({ engine: { ...engine(), phase: 'failed', status: 'failed', error: e.message } });
    },
  );
}

export function setBackendSetting(backend: BackendName | null): void {
  try {
    if (backend) localStorage.setItem(SETTING_KEY, backend);
    else localStorage.removeItem(SETTING_KEY);
  } catch {
    // not persisted; still applies to this page
  }
  useStore.setState({ backendSetting: backend });
  startEngine();
}

/**
 * The models could not load (a network failure mid-download, a damaged file since replaced): a new worker fetches
 * them again, and the slice on screen, or the patient's slices without a result, run on it. The failed worker keeps
 * its rejected load forever, so retrying on it could never succeed.
 */
export function retryModels(): void {
  startEngine();
  void reanalyzeCurrent();
}
