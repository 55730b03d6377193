/**
 * Moving through a patient's slices from the keyboard (arrows, Page keys, N / Shift+N to the slices called tumor), and
 * saying where one landed: the picture shows it, a screen reader must be told.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { selectSlice, usePatient } from '../../state/patient';
import { flaggedNeighbour, inputNote, sliceDecisions, sliceRows, type SliceRow } from '../../state/patientSummary';
import { useStore } from '../../state/store';
import { isPlainKey, typingIn } from '../useShortcuts';

/**
 * A slice in words, as its thumb's accessible name and the announcement after a step: "Slice 12: 0.965, called tumor;
 * tumor in its mask" (the label's "12• 0.965" had the "•" read as "bullet", and the decision only as a border colour).
 */
export function sliceName(slice: number, r: SliceRow, state: { error: boolean; running: boolean }, outside: string | null): string {
  const result = r.probability !== null ? `${r.probability.toFixed(3)}, ${r.decision ? 'called tumor' : 'not called tumor'}` : state.error ? 'analysis failed' : state.running ? 'not analyzed yet' : 'not analyzed';
  return `Slice ${slice}: ${result}${r.truthTumor ? '; tumor in its mask' : ''}${outside ? `; outside the validated input (${outside})` : ''}`;
}

/** Where a step to a slice called tumor went: nowhere (none is), nowhere else (the one shown is the only one), round the volume's end, or on. */
export type FlaggedStep = 'none' | 'only' | 'round' | 'on';

/** The next (step 1) or previous (-1) slice called tumor at the current threshold, and how a step there goes. */
export function flaggedTarget(step: 1 | -1): { to: number | null; outcome: FlaggedStep } {
  const { slices, selected } = usePatient.getState();
  const to = flaggedNeighbour(sliceDecisions(slices, useStore.getState().threshold), selected, step);
  if (to === null) return { to, outcome: 'none' };
  if (to === selected) return { to, outcome: 'only' };
  return { to, outcome: (to - selected) * step < 0 ? 'round' : 'on' };
}

/**
 * What is said besides the slice landed on: a step that found none, or none other, says so; one that went round the
 * volume's end says that first (landing on slice 3 after slice 18 is otherwise a jump back without a reason).
 */
export function flaggedStepNote(outcome: FlaggedStep, step: 1 | -1): string {
  const threshold = useStore.getState().threshold.toFixed(2);
  if (outcome === 'none') return `No slice is called tumor at ${threshold}.`;
  if (outcome === 'only') return `This is the only slice called tumor at ${threshold}.`;
  if (outcome === 'round') return `Round the end to the ${step === 1 ? 'first' : 'last'} slice called tumor.`;
  return '';
}

/**
 * While a patient is open: the arrow keys and PageUp/PageDown move through the slices (not from a form control, whose
 * own arrows they are), N and Shift+N to the next and previous slice called tumor (from anywhere but a text field, so
 * "move the threshold, then N" works); `onFlagged` is told how such a step went.
 */
export function usePatientKeys(count: number, toFlagged: (step: 1 | -1) => void): void {
  useEffect(() => {
    if (count === 0) return;
    const onKey = (e: KeyboardEvent) => {
      // N is a one-key shortcut like the page's others (useShortcuts.ts): the same rules for when it acts.
      if ((e.key === 'n' || e.key === 'N') && isPlainKey(e) && useStore.getState().singleKeys && !typingIn(e.target)) {
        e.preventDefault();
        toFlagged(e.shiftKey ? -1 : 1);
        return;
      }
      const t = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT'))) return;
      const step = { ArrowLeft: -1, ArrowRight: 1, PageUp: -10, PageDown: 10 }[e.key];
      if (!step) return;
      e.preventDefault();
      selectSlice(usePatient.getState().selected + step);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [count, toFlagged]);
}

/**
 * What a polite status says after the selected slice changes from outside the strip (arrows, N, the plot, the ‹ ›
 * buttons): that slice in words. In the strip the focused option's own name says it, so nothing is added there.
 * Returns the text and a step to the next or previous slice called tumor, which says how it went (a note alone, or
 * before the slice landed on).
 */
export function useSliceAnnouncement(strip: RefObject<HTMLElement | null>): [string, (step: 1 | -1) => void] {
  const selected = usePatient((s) => s.selected);
  const [said, say] = useState('');
  const opened = useRef(false);
  // A note for the slice the next selection lands on ("Round the end to the first slice called tumor.").
  const noteForNext = useRef('');
  useEffect(() => {
    const note = noteForNext.current;
    noteForNext.current = '';
    // Not on opening: the patient's own heading and the run's status speak then.
    if (!opened.current) {
      opened.current = true;
      return;
    }
    if (strip.current?.contains(document.activeElement)) return say(note);
    const { slices, running } = usePatient.getState();
    const s = slices[selected];
    if (!s) return;
    const row = sliceRows([s], useStore.getState().threshold)[0];
    say(`${note ? `${note} ` : ''}${sliceName(s.name.index ?? selected + 1, row, { error: !!s.error, running }, inputNote(s.notes))}`);
  }, [selected, strip]);
  const toFlagged = useCallback((step: 1 | -1) => {
    const { to, outcome } = flaggedTarget(step);
    if (outcome === 'none' || outcome === 'only') {
      const note = flaggedStepNote(outcome, step);
      // The same words again (N pressed twice) must still be heard: a live region speaks only when its text changes.
      return say((said) => (said === note ? `${note}\u00a0` : note));
    }
    noteForNext.current = flaggedStepNote(outcome, step); // before the selection, whose effect says it
    selectSlice(to!);
  }, []);
  return [said, toFlagged];
}
