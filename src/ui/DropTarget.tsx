import { useState, type ReactNode } from 'react';
import { droppedFilesDeep } from './patient/folderEntries';

/** The drop's flat File list: the fallback when its folders cannot be walked (droppedFilesDeep walks them). */
function droppedFiles(dt: DataTransfer): File[] {
  return Array.from(dt.files);
}

/** Wraps the page: dropping files anywhere opens them; a calm outline shows while dragging. */
export function DropTarget(props: { onFiles: (files: File[], at: number) => void; children: ReactNode }) {
  const [over, setOver] = useState(false);
  return (
    <div
      className={over ? 'drop-target dragging' : 'drop-target'}
      data-testid="drop-target"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setOver(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        const at = performance.now();
        setOver(false);
        // Dropped folders are walked recursively (a whole patient); plain files pass as they are.
        const plain = droppedFiles(e.dataTransfer);
        void droppedFilesDeep(e.dataTransfer).then((files) => props.onFiles(files, at), () => props.onFiles(plain, at));
      }}
    >
      {props.children}
      {over && <div className="drop-hint" aria-hidden="true">Drop to analyze</div>}
    </div>
  );
}
