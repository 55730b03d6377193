/**
 * Whether the one-key shortcuts (1 2 [ ] p t n N) act: on by default, turned off in the models panel and remembered.
 * A speech-input user or a stray key press should not move the threshold or hide an overlay unasked (WCAG 2.1.4:
 * single-character shortcuts must be possible to turn off); arrows, Page and Home/End keys are not affected.
 */
import { useStore } from './store';

const KEY = 'lgg.singleKeyShortcuts';

export function loadKeySetting(): void {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch {
    // storage blocked: the default stays
  }
  useStore.setState({ singleKeys: saved !== 'off' });
}

export function setSingleKeys(on: boolean): void {
  try {
    if (on) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, 'off');
  } catch {
    // not remembered; still applies to this page
  }
  useStore.setState({ singleKeys: on });
}
