/** What the user does with files: open slices (with or without masks), add ground truth, segment on demand. */
import { getAnalyzer } from './engine';
import { checkMaskMatchesImage } from '../io/raster';
import { maskOfAnotherSlice } from '../core/slices';
import { filesOfPatient, intakeFiles, severalPatientsNote, type LoadedMask } from './intake';
import { addToPatient, closePatient, joinsOpenPatient, openPatient, resumePatient, updatePatientSlice, usePatient } from './patient';
import { addedText, patientOf } from './patientSummary';
import { nextSliceId, patchCurrent, useStore, type CurrentSlice } from './store';
import type { ProbabilityFirst } from '../inference/types';

/**
 * Increments per opening of files or choice of patient. Reading files takes a while (a folder, seconds): when the
 * user has opened something else meanwhile, the older set is not opened over it.
 */
let intakeGeneration = 0;

function setTruth(mask: LoadedMask): void {
  const cur = useStore.getState().current;
  if (!cur) return;
  try {
    checkMaskMatchesImage(mask.sourceSize, cur.sourceSize ?? cur.image, mask.name.file);
    const other = maskOfAnotherSlice(mask.name, cur.name);
    if (other) throw new Error(other);
  } catch (e) {
    // Refused: the slice and any earlier truth stay on screen.
    useStore.getState().addMessage('error', (e as Error).message);
    return;
  }
  const notes = [...mask.notes];
  if (mask.name.key !== cur.name.key) notes.push(`the mask name does not match the slice ${cur.name.file}`);
  changeTruth(cur, { mask: mask.mask, file: mask.name.file, notes });
}

/**
 * Masks dropped while a patient is open go to the patient's slices they are named for (`x_12_mask.tif` to `x_12.tif`),
 * whichever slice is on screen; returns the masks that name none of them.
 */
function truthForPatientSlices(masks: LoadedMask[]): LoadedMask[] {
  const { slices } = usePatient.getState();
  if (slices.length === 0) return masks;
  const rest: LoadedMask[] = [];
  const added: string[] = [];
  for (const mask of masks) {
    const index = slices.findIndex((s) => s.name.key === mask.name.key);
    if (index < 0) {
      rest.push(mask);
      continue;
    }
    try {
      checkMaskMatchesImage(mask.sourceSize, slices[index].sourceSize, mask.name.file);
    } catch (e) {
      useStore.getState().addMessage('error', (e as Error).message);
      continue;
    }
    updatePatientSlice(index, { truth: { mask: mask.mask, file: mask.name.file, notes: mask.notes } });
    added.push(slices[index].name.file);
  }
  if (added.length > 0) useStore.getState().addMessage('info', `Ground truth added to ${added.length === 1 ? added[0] : `${added.length} slices`} of the patient.`);
  return rest;
}

/** The truth of the slice on screen; a patient's slice keeps it in the patient too (its metrics, and when shown again). */
function changeTruth(cur: CurrentSlice, truth: CurrentSlice['truth']): void {
  if (cur.patientIndex !== undefined) updatePatientSlice(cur.patientIndex, { truth });
  else patchCurrent(cur.id, { truth });
}

/** The single slice's analysis in flight: withdrawn when another slice takes the screen, so it does not queue before it. */
let inFlight: AbortController | null = null;
function withdrawInFlight(): void {
  inFlight?.abort(new Error('another slice replaced this one'));
  inFlight = null;
}

async function analyzeCurrent(id: number): Promise<void> {
  const analyzer = getAnalyzer();
  const cur = useStore.getState().current;
  if (!analyzer || !cur || cur.id !== id) return;
  withdrawInFlight();
  const run = (inFlight = new AbortController());
  patchCurrent(id, { analyzing: true, error: null });
  // The probability goes on screen as soon as the classifier has it; the mask follows (`analyzing` until then).
  // Run again (another backend), a slice keeps its whole result on screen until the new one is in: the classifier's
  // part alone could show the other decision for seconds.
  const rerun = cur.analysis !== null && !cur.analyzing;
  let probabilityAt: number | null = null;
  const showProbability = ({ probability, classifyMs, combinedFollows }: ProbabilityFirst) => {
    probabilityAt = performance.now();
    if (rerun) return;
    patchCurrent(id, {
      analysis: { probability, classifierProbability: probability, combined: false, combinedFollows, segmentation: null, segmenters: 0, timings: { classifyMs, segmentMs: null, totalMs: classifyMs } },
      segmenting: true,
      dropToProbabilityMs: probabilityAt - cur.droppedAt,
    });
  };
  try {
    // Sent at once, not after `ready`: the worker queues it behind the model load and skips its warm-up.
    const analysis = await analyzer.analyze(cur.image, { onProbability: showProbability, signal: run.signal });
    const now = performance.now();
    // Without a mask to wait for, the probability came with the whole result.
    patchCurrent(id, { analysis, analyzing: false, segmenting: false, dropToResultMs: now - cur.droppedAt, dropToProbabilityMs: (probabilityAt ?? now) - cur.droppedAt });
  } catch (e) {
    // A backend switch closes the old analyzer, and a withdrawn run's slice is gone: neither is this slice's failure.
    if (getAnalyzer() === analyzer && !run.signal.aborted) patchCurrent(id, { analyzing: false, segmenting: false, error: (e as Error).message });
  } finally {
    if (inFlight === run) inFlight = null;
  }
}

/**
 * Runs the models again on the slice on screen (after the backend changed). In a patient's view, the slices without a
 * result are run (the switch closed the analyzer they were queued on); those analyzed keep theirs.
 */
export async function reanalyzeCurrent(): Promise<void> {
  const cur = useStore.getState().current;
  if (!cur) return;
  if (cur.patientIndex !== undefined) return resumePatient();
  patchCurrent(cur.id, { droppedAt: performance.now(), dropToResultMs: null, dropToProbabilityMs: null });
  await analyzeCurrent(cur.id);
}

/** "TCGA_X (20 slices)" or "3 images": what a patient view is of, for the message saying it was closed. */
const patientViewOf = (slices: { name: { patient: string; index: number | null } }[]) => {
  const first = slices[0]?.name;
  const n = slices.length;
  return first && first.index !== null ? `${first.patient} (${n} ${n === 1 ? 'slice' : 'slices'})` : `${n} ${n === 1 ? 'image' : 'images'}`;
};

/**
 * Opens dropped or picked files. `droppedAt` is performance.now() at the user's action. The messages about earlier
 * files go first: what is said next is about these.
 */
export async function openFiles(files: File[], droppedAt = performance.now()): Promise<void> {
  const { addMessage, clearMessages } = useStore.getState();
  if (files.length === 0) return;
  clearMessages();
  const generation = ++intakeGeneration;
  const choice = filesOfPatient(files);
  const intake = await intakeFiles(choice.files);
  for (const error of intake.errors) addMessage('error', error);
  if (generation !== intakeGeneration) return; // something opened since: it stays
  const note = severalPatientsNote(choice, intake.slices.length);
  for (const info of [...intake.notes, ...(note ? [note] : [])]) addMessage('info', info);

  const open = usePatient.getState().slices;
  // Several slices at once, or one patient of several: the patient view analyzes them all (and offers the others).
  const folder = choice.patients.length > 1 ? { files, patients: choice.patients, chosen: choice.chosen! } : null;
  if (!folder && joinsOpenPatient(intake)) {
    // More slices of the patient open (a gap filled, slices given again): they join it, its results kept.
    const patient = patientOf(open)!;
    const added = addToPatient(intake);
    for (const text of addedText(added, patient)) addMessage('info', text);
    truthToPatientOrScreen(intake.orphanMasks);
    return;
  }
  if (intake.slices.length > 1 || (folder && intake.slices.length > 0)) {
    withdrawInFlight();
    if (open.length > 0) addMessage('info', `${patientViewOf(intake.slices.map((p) => p.image))} opened, which closed the patient view of ${patientViewOf(open)}.`);
    return openPatient(intake, folder);
  }
  const first = intake.slices[0];
  if (first) {
    if (open.length > 0) addMessage('info', `${first.image.name.file} opened alone, which closed the patient view of ${patientOf(open) ?? `${open.length} slices`} (several slices or a folder open a patient).`);
    closePatient();
    const current: CurrentSlice = {
      id: nextSliceId(),
      name: first.image.name,
      image: first.image.image,
      notes: first.image.notes,
      sourceSize: first.image.sourceSize,
      truth: first.mask ? { mask: first.mask.mask, file: first.mask.name.file, notes: first.mask.notes } : null,
      analysis: null,
      analyzing: true,
      segmenting: false,
      error: null,
      droppedAt,
      dropToProbabilityMs: null,
      dropToResultMs: null,
    };
    useStore.setState({ current });
    // A lone mask dropped with the image (different names) becomes its truth.
    if (!current.truth && intake.orphanMasks.length === 1) setTruth(intake.orphanMasks[0]);
    await analyzeCurrent(current.id);
    return;
  }
  truthToPatientOrScreen(intake.orphanMasks);
}

/** Masks without their image: to the open patient's slices they are named for, else to the slice on screen. */
function truthToPatientOrScreen(orphans: LoadedMask[]): void {
  const { addMessage } = useStore.getState();
  const masks = truthForPatientSlices(orphans);
  if (masks.length > 0) {
    if (!useStore.getState().current) {
      for (const m of masks) addMessage('error', `${m.name.file}: this is a mask; open its slice image first (or both together)`);
      return;
    }
    if (masks.length > 1) addMessage('info', `${masks.length} masks were given; using ${masks[0].name.file} as ground truth`);
    setTruth(masks[0]);
  }
}

/** Runs the segmenter for a slice the classifier put below the lowest preset (the user asked for it). */
export async function segmentNow(): Promise<void> {
  const analyzer = getAnalyzer();
  const cur = useStore.getState().current;
  if (!analyzer || !cur?.analysis || cur.analysis.segmentation) return;
  patchCurrent(cur.id, { segmenting: true });
  try {
    const { mask: segmentation, segmenters } = await analyzer.segment(cur.image);
    const latest = useStore.getState().current;
    if (latest?.id !== cur.id || !latest.analysis) return;
    const analysis = { ...latest.analysis, segmentation, segmenters };
    patchCurrent(cur.id, { analysis, segmenting: false });
    if (cur.patientIndex !== undefined) {
      // Found by its image: slices added to the patient meanwhile may have moved it in the list.
      const at = usePatient.getState().slices.findIndex((s) => s.image === cur.image);
      if (at >= 0) updatePatientSlice(at, { analysis });
    }
  } catch (e) {
    patchCurrent(cur.id, { segmenting: false, error: (e as Error).message });
  }
}

export function removeTruth(): void {
  const cur = useStore.getState().current;
  if (cur) changeTruth(cur, null);
}

/**
 * Closes the patient view; the slice on screen stays, now as a slice opened alone (its own id), and is analyzed if
 * the run had not reached it.
 */
export function closePatientView(): void {
  closePatient();
  const cur = useStore.getState().current;
  if (!cur || cur.patientIndex === undefined) return;
  const alone: CurrentSlice = { ...cur, id: nextSliceId(), patientIndex: undefined, analyzing: cur.analysis === null && cur.error === null };
  useStore.setState({ current: alone });
  if (alone.analyzing) void analyzeCurrent(alone.id);
}


/** Opens another patient of the set the patient view came from (a data folder): decodes only that patient's files. */
export async function openFolderPatient(patient: string): Promise<void> {
  const folder = usePatient.getState().folder;
  if (!folder || !folder.patients.includes(patient) || patient === (folder.pending ?? folder.chosen)) return;
  const generation = ++intakeGeneration;
  useStore.getState().clearMessages();
  // The choice shows at once (the select would jump back to the old patient while the files are read).
  usePatient.setState({ folder: { ...folder, pending: patient } });
  const choice = filesOfPatient(folder.files, patient);
  const intake = await intakeFiles(choice.files);
  for (const error of intake.errors) useStore.getState().addMessage('error', error);
  if (generation !== intakeGeneration) return;
  const now = usePatient.getState().folder;
  if (now) usePatient.setState({ folder: { ...now, pending: undefined } });
  if (intake.slices.length === 0) return;
  await openPatient(intake, { files: folder.files, patients: folder.patients, chosen: patient });
}
