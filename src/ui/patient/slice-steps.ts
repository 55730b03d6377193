/**
 * Moving through a patient's slices from the keyboard (arrows, Page keys, N / Shift+N to the slices called tumor), and
 * saying where one landed: the picture shows it, a screen reader must be told.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
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

/** "No slice is called tumor at 0.50.": what a step to a flagged slice says when there is none. */
export const noneCalledText = () => `No slice is called tumor at ${useStore.getState().threshold.toFixed(2)}.`;

/** Goes to the next (step 1) or previous (-1) slice called tumor at the current threshold; false when there is none. */
export function goToFlagged(step: 1 | -1): boolean {
  const { slices, selected } = usePatient.getState();
  const threshold = useStore.getState().threshold;
  const next = flaggedNeighbour(sliceDecisions(slices, threshold), selected, step);
  if (next === null) return false;
  selectSlice(next);
  return true;
}

/**
 * While a patient is open: the arrow keys and PageUp/PageDown move through the slices (not from a form control, whose
 * own arrows they are), N and Shift+N to the next and previous slice called tumor (from anywhere but a text field, so
 * "move the threshold, then N" works); `onNone` is told when no slice is called tumor.
 */
export function usePatientKeys(count: number, onNone: () => void): void {
  useEffect(() => {
    if (count === 0) return;
    const onKey = (e: KeyboardEvent) => {
      // N is a one-key shortcut like the page's others (useShortcuts.ts): the same rules for when it acts.
      if ((e.key === 'n' || e.key === 'N') && isPlainKey(e) && useStore.getState().singleKeys && !typingIn(e.target)) {
        e.preventDefault();
        if (!goToFlagged(e.shiftKey ? -1 : 1)) onNone();
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
  }, [count, onNone]);
}

/**
 * What a polite status says after the selected slice changes from outside the strip (arrows, N, the plot, the ‹ ›
 * buttons): that slice in words. In the strip the focused option's own name says it, so nothing is added there.
 * Returns the text and a way to say something else (that no slice is called tumor).
 */
export function useSliceAnnouncement(strip: RefObject<HTMLElement | null>): [string, (text: string) => void] {
  const selected = usePatient((s) => s.selected);
  const [said, say] = useState('');
  const opened = useRef(false);
  useEffect(() => {
    // Not on opening: the patient's own heading and the run's status speak then.
    if (!opened.current) {
      opened.current = true;
      return;
    }
    if (strip.current?.contains(document.activeElement)) return say('');
    const { slices, running } = usePatient.getState();
    const s = slices[selected];
    if (!s) return;
    const row = sliceRows([s], useStore.getState().threshold)[0];
    say(sliceName(s.name.index ?? selected + 1, row, { error: !!s.error, running }, inputNote(s.notes)));
  }, [selected, strip]);
  return [said, say];
}
