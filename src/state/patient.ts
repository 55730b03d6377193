/**
 * A whole patient at once: many slices analyzed one after another in the background through the page's
 * one analyzer, results appearing as they come; the selected slice is shown in the single-slice view.
 */
import { create } from 'zustand';
import type { BinaryMask, RgbImage } from '../core/image';
import type { SliceName } from '../core/slices';
import type { Analysis } from '../inference/types';
import { getAnalyzer, startEngine } from './engine';
import type { Intake } from './intake';
import { unreadSlices, type UnreadSlice } from './patientSummary';
import { nextSliceId, useStore, type CurrentSlice } from './store';

export interface PatientSlice {
  name: SliceName;
  image: RgbImage;
  /** The size of the file given (the image is resized to the models' 256x256): masks are saved and checked in it. */
  sourceSize: { width: number; height: number };
  notes: string[];
  truth: { mask: BinaryMask; file: string; notes: string[] } | null;
  analysis: Analysis | null;
  error: string | null;
}

export interface PatientState {
  /** Increments per dropped set, so a run for an older set stops writing. */
  runId: number;
  slices: PatientSlice[];
  /** The patient's slices whose files were given but could not be read: not in `slices`, nor in any figure. */
  unread: UnreadSlice[];
  selected: number;
  running: boolean;
  cancelled: boolean;
  /** performance.now() at the start and end of the run (slices/s). */
  startedAt: number;
  finishedAt: number | null;
  /**
   * A set of several patients (a data folder): every file, kept undecoded, so the user can open another patient;
   * `pending`, the patient asked for while its files are read.
   */
  folder: { files: File[]; patients: string[]; chosen: string; pending?: string } | null;
}

export const usePatient = create<PatientState>()(() => ({
  runId: 0,
  slices: [],
  unread: [],
  selected: 0,
  running: false,
  cancelled: false,
  startedAt: 0,
  finishedAt: null,
  folder: null,
}));

export const analyzedCount = (s: PatientState) => s.slices.filter((x) => x.analysis).length;
export const failedCount = (s: PatientState) => s.slices.filter((x) => x.error).length;

/** Shows slice `index` in the main view (the single-slice view reads the app store's `current`). */
export function selectSlice(index: number): void {
  const { slices } = usePatient.getState();
  if (slices.length === 0) return;
  const i = Math.max(0, Math.min(slices.length - 1, index));
  usePatient.setState({ selected: i });
  showInMainView(i);
}

function showInMainView(i: number): void {
  const s = usePatient.getState().slices[i];
  if (!s) return;
  const prev = useStore.getState().current;
  const current: CurrentSlice = {
    id: nextSliceId(),
    patientIndex: i,
    name: s.name,
    image: s.image,
    sourceSize: s.sourceSize,
    notes: s.notes,
    truth: s.truth,
    analysis: s.analysis,
    analyzing: !s.analysis && !s.error && usePatient.getState().running,
    segmenting: false,
    error: s.error,
    droppedAt: prev?.droppedAt ?? performance.now(),
    dropToProbabilityMs: null,
    dropToResultMs: null,
  };
  useStore.setState({ current });
}

export function cancelPatient(): void {
  usePatient.setState({ cancelled: true });
}

export function closePatient(): void {
  usePatient.setState((s) => ({ runId: s.runId + 1, slices: [], unread: [], running: false, cancelled: true, folder: null }));
}

/** Changes slice `index` of the open patient (its ground truth, say), and the main view when it shows that slice. */
export function updatePatientSlice(index: number, patch: Partial<PatientSlice>): void {
  usePatient.setState((s) => ({ slices: s.slices.map((x, k) => (k === index ? { ...x, ...patch } : x)) }));
  if (usePatient.getState().selected === index) showInMainView(index);
}

/**
 * Analyzes the slices without a result again: after a cancel, after failures, after the backend changed. A run still
 * going just carries on (on whichever analyzer is current).
 */
export function resumePatient(): void {
  const st = usePatient.getState();
  if (st.slices.length === 0) return;
  // Retrying on a worker whose models failed to load would fail the same way: load them again first.
  if (useStore.getState().engine.phase === 'failed') startEngine();
  usePatient.setState({ cancelled: false, slices: st.slices.map((x) => (x.error ? { ...x, error: null } : x)) });
  if (!st.running) void runSlices(st.runId);
  else showInMainView(st.selected);
}

/** Takes over the intake of several slices and analyzes them in order. */
export async function openPatient(intake: Intake, folder: PatientState['folder'] = null): Promise<void> {
  const runId = usePatient.getState().runId + 1;
  const slices: PatientSlice[] = intake.slices.map((p) => ({
    name: p.image.name,
    image: p.image.image,
    sourceSize: p.image.sourceSize,
    notes: p.image.notes,
    truth: p.mask ? { mask: p.mask.mask, file: p.mask.name.file, notes: p.mask.notes } : null,
    analysis: null,
    error: null,
  }));
  const unread = unreadSlices(intake.unread, slices);
  usePatient.setState({ runId, slices, unread, selected: 0, running: false, cancelled: false, startedAt: performance.now(), finishedAt: null, folder });
  await runSlices(runId);
}

/**
 * Analyzes the slices of run `runId` that have neither a result nor an error, the selected one first and then in
 * order, until done, cancelled or replaced. The analyzer is looked up for every slice: a backend switch closes the
 * old one, and the slice it was working on goes to the new one instead of failing (as would every slice after it).
 */
async function runSlices(runId: number): Promise<void> {
  usePatient.setState({ running: true, finishedAt: null });
  showInMainView(usePatient.getState().selected);
  for (;;) {
    const st = usePatient.getState();
    if (st.runId !== runId || st.cancelled) break;
    // The slice on screen first (the user clicked it mid-run), then the others in order.
    const waiting = (x: PatientSlice) => !x.analysis && !x.error;
    const i = st.slices[st.selected] && waiting(st.slices[st.selected]) ? st.selected : st.slices.findIndex(waiting);
    if (i < 0) break;
    const analyzer = getAnalyzer();
    if (!analyzer) break;
    let patch: Partial<PatientSlice>;
    try {
      await analyzer.ready;
      patch = { analysis: await analyzer.analyze(st.slices[i].image) };
    } catch (e) {
      if (getAnalyzer() !== analyzer) continue;
      patch = { error: (e as Error).message };
    }
    if (usePatient.getState().runId !== runId) return;
    updatePatientSlice(i, patch);
    // The models could not load: every other slice would fail the same way.
    if (patch.error && usePatient.getState().slices.every((x) => !x.analysis)) {
      try {
        await analyzer.ready;
      } catch {
        break;
      }
    }
  }
  if (usePatient.getState().runId !== runId) return;
  usePatient.setState({ running: false, finishedAt: performance.now() });
  showInMainView(usePatient.getState().selected);
  const all = usePatient.getState().slices;
  const failed = all.filter((x) => x.error);
  if (failed.length === 0) return;
  const engine = useStore.getState().engine;
  // When the models could not load, the run stopped at the first slice: the others were never tried, not failed.
  if (engine.phase === 'failed')
    useStore.getState().addMessage('error', `The models could not load (${engine.error}), so ${all.filter((x) => !x.analysis).length} of ${all.length} slices are not analyzed; "Retry" in the strip loads the models again and runs them.`);
  else useStore.getState().addMessage('error', `${failed.length} of ${all.length} slices could not be analyzed (${failed[0].name.file}: ${failed[0].error}); "Retry" in the strip runs them again.`);
}
