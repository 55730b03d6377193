import { beforeEach, describe, expect, it } from 'vitest';
import { useStore } from './store';

const texts = () => useStore.getState().messages.map((m) => m.text);

describe('messages', () => {
  beforeEach(() => useStore.setState({ messages: [] }));

  it('opening other files clears what was said about files, not what was said about the app', () => {
    const { addMessage, clearMessages } = useStore.getState();
    addMessage('error', 'The GPU was lost (device lost); switched to WebAssembly.', 'app');
    addMessage('error', 'a.tif: not a TIFF');
    addMessage('info', '2 masks were given');
    clearMessages();
    expect(texts()).toEqual(['The GPU was lost (device lost); switched to WebAssembly.']);
  });

  it('keeps the six latest, dropping file messages before app messages', () => {
    const { addMessage } = useStore.getState();
    addMessage('info', 'backend fallback', 'app');
    for (let i = 1; i <= 8; i++) addMessage('error', `bad file ${i}`);
    expect(texts()).toEqual(['backend fallback', 'bad file 4', 'bad file 5', 'bad file 6', 'bad file 7', 'bad file 8']);
  });

  it('a message is about files unless said otherwise', () => {
    useStore.getState().addMessage('error', 'x.tif: wrong size');
    expect(useStore.getState().messages[0].about).toBe('files');
  });
});
