import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getAnalyzer, loadBackendSetting, startEngine } from './state/engine';
import { loadKeySetting } from './state/key-setting';
import { useStore } from './state/store';
import { usePatient } from './state/patient';
import './ui/styles.css';

loadBackendSetting();
loadKeySetting();
startEngine();

// For end-to-end tests: inference counters and tfjs memory from the worker, and the store.
Object.assign(window, {
  __lgg: {
    stats: () => getAnalyzer()?.stats(),
    loseDevice: () => getAnalyzer()?.loseDevice?.(), // e2e/device-loss.spec.ts
    analyzer: () => getAnalyzer(), // bench/: per-model timings with forceSegment
    state: () => useStore.getState(),
    patient: () => usePatient.getState(),
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
