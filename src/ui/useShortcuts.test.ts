import { describe, expect, it } from 'vitest';
import { isPlainKey } from './useShortcuts';

/** A keydown as the browser reports it: `altGraph` is getModifierState('AltGraph'). */
const key = (k: string, mods: { ctrl?: boolean; alt?: boolean; meta?: boolean; altGraph?: boolean } = {}) =>
  ({ key: k, ctrlKey: !!mods.ctrl, altKey: !!mods.alt, metaKey: !!mods.meta, getModifierState: (m: string) => m === 'AltGraph' && !!mods.altGraph }) as unknown as KeyboardEvent;

describe('a shortcut key', () => {
  it('is typed as a character: "[" with AltGr (German Windows: Ctrl+Alt) or Option (German Mac) counts', () => {
    expect(isPlainKey(key('['))).toBe(true);
    expect(isPlainKey(key('[', { ctrl: true, alt: true, altGraph: true }))).toBe(true);
    expect(isPlainKey(key('[', { alt: true }))).toBe(true);
    expect(isPlainKey(key(']', { alt: true }))).toBe(true);
  });
  it('is not a command: Ctrl, Cmd, or Alt with a letter or digit', () => {
    expect(isPlainKey(key('p', { ctrl: true }))).toBe(false);
    expect(isPlainKey(key('1', { meta: true }))).toBe(false);
    expect(isPlainKey(key('1', { alt: true }))).toBe(false);
    expect(isPlainKey(key('t', { alt: true }))).toBe(false);
  });
});
