import { useEffect, useRef } from 'react';
import { RESEARCH_NOTICE } from './core/card';
import { openFiles } from './state/actions';
import { usePatient } from './state/patient';
import { useStore } from './state/store';
import { DropTarget } from './ui/DropTarget';
import { FileButton } from './ui/FileButton';
import { Messages } from './ui/Messages';
import { ModelPanel } from './ui/ModelPanel';
import { OverlayControls } from './ui/OverlayControls';
import { ResultPanel } from './ui/ResultPanel';
import { SegmentationStats } from './ui/SegmentationStats';
import { SliceNotes } from './ui/SliceNotes';
import { SliceView } from './ui/SliceView';
import { ThresholdControl } from './ui/ThresholdControl';
import { useShortcuts } from './ui/useShortcuts';
import { UpdatePrompt } from './ui/UpdatePrompt';
import { APP_NAME } from './ui/view-caption';
import { PatientPanel } from './ui/patient/PatientPanel';
import { PatientStrip } from './ui/patient/PatientStrip';

const open = (files: File[], at: number) => void openFiles(files, at);

export function App() {
  useShortcuts();
  const side = useRef<HTMLElement>(null);
  // New files opened (a patient, or a slice alone): the side panel starts at its top, where their answer is, not where
  // the panel was scrolled to for the previous one. Moving through a patient's slices keeps the place.
  const patientRun = usePatient((s) => s.runId);
  const singleSlice = useStore((s) => (s.current && s.current.patientIndex === undefined ? s.current.id : null));
  useEffect(() => {
    side.current?.scrollTo({ top: 0 });
  }, [patientRun, singleSlice]);
  const backend = useStore((s) => s.engine.backend?.name);
  const phase = useStore((s) => s.engine.phase);
  return (
    <DropTarget onFiles={open}>
      <div className="app">
        <header className="top">
          <h1>{APP_NAME}</h1>
          <span className="notice" data-testid="notice">{RESEARCH_NOTICE}</span>
          <span className={`engine-chip ${phase}`} data-testid="engine-chip">
            {phase === 'ready' ? backend : phase === 'failed' ? 'models failed' : 'loading models…'}
          </span>
          <span className="top-actions">
            <FileButton label="Open folder…" directory onFiles={open} testId="folder-input" />
            <FileButton label="Open slice…" primary onFiles={open} testId="file-input" id="open-slice" />
          </span>
        </header>
        <main className="main">
          <div className="view-col">
            <SliceView />
            <PatientStrip />
          </div>
          <aside className="side" ref={side}>
            <Messages />
            <PatientPanel />
            <ResultPanel />
            <ThresholdControl />
            <SegmentationStats />
            <SliceNotes />
            <OverlayControls />
            <ModelPanel />
          </aside>
        </main>
        <UpdatePrompt />
      </div>
    </DropTarget>
  );
}
