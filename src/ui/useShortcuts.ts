import { useEffect } from 'react';
import { DEFAULT_THRESHOLD, HIGH_RECALL_THRESHOLD } from '../core/thresholds';
import { useStore } from '../state/store';

/**
 * A key typed as a character, not a command: no Ctrl/Cmd, and Alt only where it types the character (AltGr on Windows
 * and Linux, Option on a Mac: "[" and "]" on German or French keyboards), so those layouts can step the threshold.
 */
export function isPlainKey(e: KeyboardEvent): boolean {
  const altGraph = e.getModifierState?.('AltGraph') ?? false;
  if ((e.ctrlKey || e.metaKey) && !altGraph) return false;
  // Alt with a letter or digit is a menu or command key (Alt+1 switches tabs in some browsers); with a symbol it typed it.
  return !(e.altKey && !altGraph && /^[a-z0-9]$/i.test(e.key));
}

/** Keys in a text field (or a select's type-ahead) are typing, not commands; a slider or a checkbox does not type. */
export const typingIn = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement &&
  (t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || (t.tagName === 'INPUT' && !['range', 'checkbox', 'radio', 'button'].includes((t as HTMLInputElement).type)));

/** Page-wide keys: 1 / 2 pick the presets, [ and ] step the threshold, p / t toggle the overlays. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isPlainKey(e) || !useStore.getState().singleKeys || typingIn(e.target)) return;
      const s = useStore.getState();
      const actions: Record<string, () => void> = {
        '1': () => s.setThreshold(DEFAULT_THRESHOLD),
        '2': () => s.setThreshold(HIGH_RECALL_THRESHOLD),
        '[': () => s.setThreshold(s.threshold - 0.01),
        ']': () => s.setThreshold(s.threshold + 0.01),
        p: () => s.setOverlay({ showPrediction: !s.overlay.showPrediction }),
        t: () => s.setOverlay({ showTruth: !s.overlay.showTruth }),
      };
      const action = actions[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
