import { useStore } from '../state/store';

/** Problems with dropped files and other notices; the last good result stays on screen behind them. */
export function Messages() {
  const messages = useStore((s) => s.messages);
  const dismiss = useStore((s) => s.dismissMessage);
  if (messages.length === 0) return null;
  return (
    <ul className="messages" data-testid="messages">
      {messages.map((m) => (
        // The role sits on the text, not the <li>: a list item with another role breaks the list for screen readers.
        <li key={m.id} className={`message ${m.kind}`}>
          <span role={m.kind === 'error' ? 'alert' : 'status'}>{m.text}</span>
          <button type="button" className="btn link" aria-label="Dismiss" onClick={() => dismiss(m.id)}>×</button>
        </li>
      ))}
    </ul>
  );
}
