import { useEffect, useRef } from 'react';
import { useStore } from '../state/store';
import { handFocus } from './hand-focus';

/**
 * "Dismiss: a.tif: not a TIFF…": each close button says which message it closes (a list of "Dismiss" says nothing),
 * its start cut at a word's end.
 */
export function dismissLabel(text: string): string {
  if (text.length <= 60) return `Dismiss: ${text}`;
  const cut = text.slice(0, 58);
  const end = cut.lastIndexOf(' ');
  return `Dismiss: ${(end > 20 ? cut.slice(0, end) : cut).replace(/[\s,;:—-]+$/, '')}…`;
}

/** Problems with dropped files and other notices; the last good result stays on screen behind them. */
export function Messages() {
  const messages = useStore((s) => s.messages);
  const dismiss = useStore((s) => s.dismissMessage);
  const list = useRef<HTMLUListElement>(null);
  const newest = messages.at(-1)?.id ?? 0;
  // A new message is brought into view: with the side panel scrolled down (its lower controls in use), it would
  // otherwise appear above the visible part, and a dropped file would seem to do nothing.
  useEffect(() => {
    if (newest) list.current?.scrollIntoView({ block: 'nearest' });
  }, [newest]);
  if (messages.length === 0) return null;
  const close = (index: number) => {
    // Focus goes to the next message's close button, else the previous one's (else handFocus's "Open slice…").
    const buttons = list.current?.querySelectorAll<HTMLButtonElement>('button');
    dismiss(messages[index].id);
    handFocus(buttons?.[index + 1] ?? buttons?.[index - 1]);
  };
  return (
    <ul className="messages" data-testid="messages" ref={list}>
      {messages.map((m, i) => (
        // The role sits on the text, not the <li>: a list item with another role breaks the list for screen readers.
        <li key={m.id} className={`message ${m.kind}`}>
          <span role={m.kind === 'error' ? 'alert' : 'status'}>{m.text}</span>
          <button type="button" className="btn link" aria-label={dismissLabel(m.text)} onClick={() => close(i)}>×</button>
        </li>
      ))}
    </ul>
  );
}
