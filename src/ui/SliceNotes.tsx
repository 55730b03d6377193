import { useStore } from '../state/store';

/** How the file was converted for the models (resized, gray replicated, 16-bit scaled, ...). */
export function SliceNotes() {
  const current = useStore((s) => s.current);
  if (!current) return null;
  const notes = [...current.notes, ...(current.truth?.notes.map((n) => `mask: ${n}`) ?? [])];
  if (notes.length === 0) return null;
  return (
    <ul className="notes small" data-testid="slice-notes" aria-label="Conversion notes">
      {notes.map((n) => <li key={n}>{n}</li>)}
    </ul>
  );
}
