import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getAnalyzer, loadBackendSetting, startEngine } from './state/engine';
import { useStore } from './state/store';
import './ui/styles.css';

loadBackendSetting();
startEngine();

// For end-to-end tests: inference counters and tfjs memory from the worker, and the store.
Object.assign(window, {
  __lgg: {
    stats: () => getAnalyzer()?.stats(),
    state: () => useStore.getState(),
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
