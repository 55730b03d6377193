import { useEffect } from 'react';
import { DEFAULT_THRESHOLD, HIGH_RECALL_THRESHOLD } from '../core/thresholds';
import { useStore } from '../state/store';

/** Page-wide keys: 1 / 2 pick the presets, [ and ] step the threshold, p / t toggle the overlays. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || (target.tagName === 'INPUT' && (target as HTMLInputElement).type === 'text'))) return;
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
