/**
 * A whole patient at once: many slices analyzed one after another in the background through the page's
 * one analyzer, results appearing as they come; the selected slice is shown in the single-slice view.
 */
import { create } from 'zustand';
import { sameSize, type BinaryMask, type RgbImage } from '../core/image';
import { compareSlices, type SliceName } from '../core/slices';
import type { Analysis } from '../inference/types';
import { getAnalyzer, startEngine } from './engine';
import type { Intake } from './intake';
import { patientOf, unreadSlices, type UnreadSlice } from './patientSummary';
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
  /** performance.now() at the start and end of the run (slices/s), and the slices analyzed when it started. */
  startedAt: number;
  finishedAt: number | null;
  analyzedAtStart: number;
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
  analyzedAtStart: 0,
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

const toPatientSlice = (p: Intake['slices'][number]): PatientSlice => ({
  name: p.image.name,
  image: p.image.image,
  sourceSize: p.image.sourceSize,
  notes: p.image.notes,
  truth: p.mask ? { mask: p.mask.mask, file: p.mask.name.file, notes: p.mask.notes } : null,
  analysis: null,
  error: null,
});

/**
 * The slice a patient opens on: the middle one, where an axial volume shows the most brain (its first slices are the
 * skull's top or base, nearly black); it is analyzed first, so the first answer is about something worth seeing.
 */
export const openingSlice = (count: number): number => Math.max(0, Math.floor((count - 1) / 2));

/** Takes over the intake of several slices and analyzes them, the opening slice first and then in order. */
export async function openPatient(intake: Intake, folder: PatientState['folder'] = null): Promise<void> {
  const runId = usePatient.getState().runId + 1;
  const slices = intake.slices.map(toPatientSlice);
  const unread = unreadSlices(intake.unread, slices);
  usePatient.setState({ runId, slices, unread, selected: openingSlice(slices.length), running: false, cancelled: false, startedAt: performance.now(), finishedAt: null, analyzedAtStart: 0, folder });
  await runSlices(runId);
}

/**
 * Whether the slices given are all numbered slices of the patient open: they join it (addToPatient) rather than
 * replace it with a patient of those slices alone.
 */
export function joinsOpenPatient(intake: Intake): boolean {
  const open = patientOf(usePatient.getState().slices);
  return open !== null && intake.slices.length > 0 && intake.slices.every((p) => p.image.name.index !== null && p.image.name.patient === open);
}

/** What addToPatient did with each slice given, by slice number. */
export interface AddedSlices {
  /** New to the patient. */
  added: number[];
  /** Already open with the same decoded image: kept with its result (a mask given with it becomes its truth). */
  kept: number[];
  /** Already open with another image: replaced by the one given, its result dropped, to be analyzed again. */
  replaced: number[];
  /** Slices (added, kept or replaced) that a mask given with them became the truth of. */
  truth: number[];
}

const sameImage = (a: PatientSlice, b: PatientSlice) =>
  sameSize(a.sourceSize, b.sourceSize) && sameSize(a.image, b.image) && a.image.data.every((v, i) => v === b.image.data[i]);

/**
 * Adds slices of the patient open (joinsOpenPatient) to it, in slice order, with its results kept: a slice already
 * there with the same image stays as it is (not analyzed again), one with another image is replaced. The selection
 * stays on the slice it was on; the slices to analyze join the run going on, or a run starts (resumes) for them.
 */
export function addToPatient(intake: Intake): AddedSlices {
  const st = usePatient.getState();
  const out: AddedSlices = { added: [], kept: [], replaced: [], truth: [] };
  const slices = [...st.slices];
  for (const p of intake.slices) {
    const given = toPatientSlice(p);
    const n = given.name.index!;
    if (given.truth) out.truth.push(n);
    const at = slices.findIndex((s) => s.name.key === given.name.key);
    if (at < 0) {
      slices.push(given);
      out.added.push(n);
    } else if (sameImage(slices[at], given)) {
      if (given.truth) slices[at] = { ...slices[at], truth: given.truth };
      out.kept.push(n);
    } else {
      // The truth given before stays when none comes with the new image and it still fits (it is named for this slice).
      const old = slices[at];
      const keepTruth = !given.truth && old.truth && sameSize(old.sourceSize, given.sourceSize);
      slices[at] = keepTruth ? { ...given, truth: old.truth } : given;
      out.replaced.push(n);
    }
  }
  slices.sort((a, b) => compareSlices(a.name, b.name));
  const selectedKey = st.slices[st.selected]?.name.key;
  const selected = Math.max(0, slices.findIndex((s) => s.name.key === selectedKey));
  const unread = unreadSlices([...st.unread, ...intake.unread], slices);
  const waiting = slices.some((s) => !s.analysis && !s.error);
  usePatient.setState({ slices, unread, selected, cancelled: st.cancelled && !waiting });
  // The main view shows the same slice, now at another place in the list (or its new image, when it was replaced).
  const cur = useStore.getState().current;
  if (cur && cur.patientIndex !== undefined) {
    if (slices[selected].image !== st.slices[st.selected]?.image || slices[selected].truth !== st.slices[st.selected]?.truth) showInMainView(selected);
    else useStore.setState({ current: { ...cur, patientIndex: selected } });
  }
  if (waiting && !st.running) void runSlices(st.runId);
  return out;
}

/**
 * Analyzes the slices of run `runId` that have neither a result nor an error, the selected one first and then in
 * order, until done, cancelled or replaced. The analyzer is looked up for every slice: a backend switch closes the
 * old one, and the slice it was working on goes to the new one instead of failing (as would every slice after it).
 */
async function runSlices(runId: number): Promise<void> {
  usePatient.setState((s) => ({ running: true, startedAt: performance.now(), finishedAt: null, analyzedAtStart: analyzedCount(s) }));
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
    const slice = st.slices[i];
    let patch: Partial<PatientSlice>;
    try {
      await analyzer.ready;
      patch = { analysis: await analyzer.analyze(slice.image) };
    } catch (e) {
      if (getAnalyzer() !== analyzer) continue;
      patch = { error: (e as Error).message };
    }
    if (usePatient.getState().runId !== runId) return;
    // Found again by its image: slices added meanwhile move it in the list, and a slice replaced by another image
    // drops this result (the new image waits for its own).
    const at = usePatient.getState().slices.findIndex((x) => x.image === slice.image);
    if (at >= 0) updatePatientSlice(at, patch);
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
