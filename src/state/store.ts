/** The app's one store: the slice on screen, its analysis, the threshold, overlay settings, engine state and messages. */
import { create } from 'zustand';
import type { ModelCard } from '../core/card';
import type { CombinedCard } from '../core/combined';
import type { BinaryMask, RgbImage } from '../core/image';
import { DEFAULT_VIEW, type ViewChannel } from '../core/overlay';
import type { SliceName } from '../core/slices';
import { DEFAULT_THRESHOLD, clampThreshold } from '../core/thresholds';
import type { Analysis, BackendInfo, BackendName, DownloadBytes, ModelKey, ReadyInfo } from '../inference/types';

export interface CurrentSlice {
  /**
   * New for every slice put on screen (nextSliceId), patient slices included, so a late result for an earlier one is
   * ignored: patchCurrent writes only while the id still matches.
   */
  id: number;
  /** Which slice of the open patient this is; absent for a slice opened alone. */
  patientIndex?: number;
  name: SliceName;
  image: RgbImage;
  notes: string[];
  /** The image file's size before conversion to 256x256 (a ground-truth mask must match it); absent = image size. */
  sourceSize?: { width: number; height: number };
  truth: { mask: BinaryMask; file: string; notes: string[] } | null;
  analysis: Analysis | null;
  /** True until the whole analysis is in; `analysis` may already hold the probability (with `segmenting`). */
  analyzing: boolean;
  segmenting: boolean;
  error: string | null;
  /**
   * performance.now() when the files were dropped or picked; the time until the probability was on screen (it comes
   * ahead of the mask), and until the whole result (probability and mask) was.
   */
  droppedAt: number;
  dropToProbabilityMs: number | null;
  dropToResultMs: number | null;
}

export interface OverlaySettings {
  channel: ViewChannel;
  opacity: number;
  showPrediction: boolean;
  showTruth: boolean;
}

export interface EngineState {
  phase: 'starting' | 'loading' | 'ready' | 'failed';
  status: string;
  /** Each model's download in bytes. */
  progress: Record<ModelKey, DownloadBytes>;
  /** From the first bytes to the latest progress report: the clock of the time-left estimate. */
  downloadMs: number;
  /** performance.now() of the latest bytes (null before any): a download that stops moving is said to have stalled. */
  lastBytesAt: number | null;
  /** performance.now() when this engine started loading: the wait for the first bytes counts from here. */
  loadingSince: number;
  backend: BackendInfo | null;
  cards: { classifier: ModelCard | null; segmenter: ModelCard | null; segmenter2: ModelCard | null };
  /** Why there is no second segmenter (the first draws the outline alone), or null. */
  segmenter2Note: string | null;
  /** The combined probability's card, or null (then `combinedNote` says why the classifier alone decides). */
  combined: CombinedCard | null;
  combinedNote: string | null;
  backendMs: number | null;
  loadMs: number | null;
  warmupMs: number | null;
  warmUp: ReadyInfo['warmUp'] | null;
  error: string | null;
}

export interface Message {
  id: number;
  kind: 'error' | 'info';
  text: string;
  /** 'files': about what the user opened, gone when other files are opened; 'app': about the engine or the offline
   * copy (GPU lost, backend fallback), which a new file does not answer, so it stays until dismissed. */
  about: 'files' | 'app';
}

export interface AppState {
  current: CurrentSlice | null;
  threshold: number;
  overlay: OverlaySettings;
  engine: EngineState;
  /** The user's backend choice from the settings (null = automatic); `?backend=` wins over it. */
  backendSetting: BackendName | null;
  /** Whether the one-key shortcuts act (key-setting.ts). */
  singleKeys: boolean;
  messages: Message[];
  setThreshold(t: number): void;
  setOverlay(patch: Partial<OverlaySettings>): void;
  addMessage(kind: Message['kind'], text: string, about?: Message['about']): void;
  dismissMessage(id: number): void;
  /** Clears the messages about files (see Message.about). */
  clearMessages(): void;
}

const NOTHING_YET: DownloadBytes = { receivedBytes: 0, totalBytes: null };

export const initialEngine: EngineState = {
  phase: 'starting',
  status: 'starting',
  progress: { classifier: NOTHING_YET, segmenter: NOTHING_YET, segmenter2: NOTHING_YET },
  downloadMs: 0,
  lastBytesAt: null,
  loadingSince: 0,
  backend: null,
  cards: { classifier: null, segmenter: null, segmenter2: null },
  segmenter2Note: null,
  combined: null,
  combinedNote: null,
  backendMs: null,
  loadMs: null,
  warmupMs: null,
  warmUp: null,
  error: null,
};

let messageId = 0;
const MAX_MESSAGES = 6;

/** At most MAX_MESSAGES, dropping the oldest about files first: a burst of file errors must not push out "the GPU was lost". */
function keepLatest(messages: Message[]): Message[] {
  const kept = [...messages];
  while (kept.length > MAX_MESSAGES) {
    const oldestFiles = kept.findIndex((m) => m.about === 'files');
    kept.splice(oldestFiles === -1 ? 0 : oldestFiles, 1);
  }
  return kept;
}

export const useStore = create<AppState>()((set) => ({
  current: null,
  threshold: DEFAULT_THRESHOLD,
  overlay: { ...DEFAULT_VIEW, showPrediction: true, showTruth: true },
  engine: initialEngine,
  backendSetting: null,
  singleKeys: true,
  messages: [],
  setThreshold: (t) => set({ threshold: Math.round(clampThreshold(t) * 1000) / 1000 }),
  setOverlay: (patch) => set((s) => ({ overlay: { ...s.overlay, ...patch } })),
  addMessage: (kind, text, about = 'files') => set((s) => ({ messages: keepLatest([...s.messages, { id: ++messageId, kind, text, about }]) })),
  dismissMessage: (id) => set((s) => ({ messages: s.messages.filter((m) => m.id !== id) })),
  clearMessages: () => set((s) => ({ messages: s.messages.filter((m) => m.about === 'app') })),
}));

let lastSliceId = 0;
/** The id of the next slice put on screen. */
export const nextSliceId = (): number => ++lastSliceId;

/** Updates the current slice only if it is still the one with `id`. */
export function patchCurrent(id: number, patch: Partial<CurrentSlice>): void {
  useStore.setState((s) => (s.current && s.current.id === id ? { current: { ...s.current, ...patch } } : {}));
}
