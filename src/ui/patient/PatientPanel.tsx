import { useRef, useState } from 'react';
import { IMAGE_SIZE } from '../../core/constants';
import { sameSize } from '../../core/image';
import { noTumorInEither, precisionRecallCurve, rocCurve, ratio } from '../../core/metrics';
import { partialFileName, resultsCsv, resultsCsvFileName, rowWithNoTumorInEither } from '../../io/exportCsv';
import { predictedMasksZipName, storedZip } from '../../io/exportZip';
import { closePatientView, openFolderPatient } from '../../state/actions';
import { usePatient } from '../../state/patient';
import { figuresScope, sliceRanges, inputNote, missingCount, missingSlices, missingText, patientOf, predictedMaskFiles, resultsCsvRows, shownReport, shownScore, shownScores, sliceRows, truthMetrics, unreadText } from '../../state/patientSummary';
import { useStore } from '../../state/store';
import { Curve } from './Curves';
import { download, downloadViewPng } from '../download';
import { handFocus } from '../hand-focus';
import { count, overlapScore } from '../format';

const f2 = (x: number) => x.toFixed(2);

/**
 * The patients of the files given: the select picks one, "Open" opens it (arrow keys on the select only move the
 * choice; before, each one opened a patient and abandoned the run going on).
 * It stays mounted when another patient opens (a remount dropped focus to the page), so the choice follows `shown`.
 */
function PatientChooser(props: { patients: string[]; shown: string; pending: boolean }) {
  const [choice, setChoice] = useState(props.shown);
  const [lastShown, setLastShown] = useState(props.shown);
  if (lastShown !== props.shown) {
    setLastShown(props.shown);
    setChoice(props.shown);
  }
  const select = useRef<HTMLSelectElement>(null);
  const open = () => void openFolderPatient(choice);
  // "Open" disables itself while the patient loads: focus goes to the select beside it, not to the page.
  const openFromButton = () => {
    select.current?.focus();
    open();
  };
  return (
    <div className="row small patient-chooser">
      <label htmlFor="patient-select" className="muted">
        Patient {props.patients.indexOf(props.shown) + 1} of {props.patients.length} in the files given
      </label>
      <select
        ref={select}
        id="patient-select"
        data-testid="patient-select"
        value={choice}
        onChange={(e) => setChoice(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && choice !== props.shown) {
            e.preventDefault();
            open();
          }
        }}
      >
        {props.patients.map((p) => (
          <option key={p} value={p}>
            {p}
            {p === props.shown ? ' (open)' : ''}
          </option>
        ))}
      </select>
      <button type="button" className="btn small-btn" onClick={openFromButton} disabled={choice === props.shown || props.pending} aria-label={choice === props.shown ? 'Open the chosen patient (it is open)' : `Open the chosen patient, ${choice}`} data-testid="patient-open">
        Open
      </button>
      {props.pending && (
        <span className="muted" role="status" data-testid="patient-pending">
          reading its files…
        </span>
      )}
    </div>
  );
}

/** Patient-level results at the current threshold: report, curves, Dice, volume and exports. */
export function PatientPanel() {
  const slices = usePatient((s) => s.slices);
  const unread = usePatient((s) => s.unread);
  const running = usePatient((s) => s.running);
  const startedAt = usePatient((s) => s.startedAt);
  const finishedAt = usePatient((s) => s.finishedAt);
  const analyzedAtStart = usePatient((s) => s.analyzedAtStart);
  const threshold = useStore((s) => s.threshold);
  const selected = usePatient((s) => s.selected);
  const folder = usePatient((s) => s.folder);
  if (slices.length === 0) return null;
  const rows = sliceRows(slices, threshold);
  const m = truthMetrics(slices, rows, threshold);
  const analyzed = rows.filter((r) => r.probability !== null);
  const above = analyzed.filter((r) => r.decision).length;
  const volumePixels = analyzed.reduce((n, r) => n + (r.predictedPixels ?? 0), 0);
  const patient = patientOf(slices);
  const prefix = patient ?? 'images';
  const hasMasks = slices.some((s) => s.truth);
  const shownPatient = folder ? (folder.pending ?? folder.chosen) : null;
  // Slices given but not read, and numbers missing between the slices given, are in no figure: the figures say
  // they cover the slices read (or given); while the run goes on, the slices analyzed so far.
  const notRead = unreadText(unread);
  const gaps = missingSlices(slices, unread);
  const notGiven = missingText(gaps);
  const numbers = patient === null ? null : slices.flatMap((s) => (s.name.index === null ? [] : [s.name.index]));
  const scope = figuresScope({ read: slices.length, analyzed: analyzed.length, running, unread: unread.length, missing: missingCount(gaps), numbers });
  // While the run goes on (or after it stopped), every figure says it covers the slices analyzed, in the same words.
  const partial = running || analyzed.length < slices.length;
  const runNote = partial ? `(${scope.label})` : null;
  // Slices whose input lies outside what the models were validated on (wider samples stretched, one gray channel).
  const outside = slices.flatMap((s) => {
    const why = inputNote(s.notes);
    return why ? [`${s.name.index !== null ? `slice ${s.name.index}` : s.name.file}: outside the validated input (${why})`] : [];
  });
  const otherSize = slices.some((s) => !sameSize(s.sourceSize, s.image));
  const numbered = slices.length + unread.length + missingCount(gaps);
  // Partial exports under the final file's name would pass for the patient's results: they wait for the run's end.
  // A run that was stopped exports what it has (the rows it did not reach stay empty).
  const exportTitle = running ? `Available when the run ends (${analyzed.length} of ${slices.length} analyzed so far)` : analyzed.length === 0 ? 'No slice has been analyzed' : undefined;
  // The slices/s of the last run (a resumed run, or one over slices added, counts its own slices and time).
  const sps = finishedAt ? ((analyzed.length - analyzedAtStart) / (finishedAt - startedAt)) * 1000 : null;

  // Both named with the threshold they were made at (and the CSV says it on every row); a stopped run's, `_partial`.
  const named = (name: string) => (partial ? partialFileName(name) : name);
  const exportCsv = () => download(named(resultsCsvFileName(prefix, threshold)), resultsCsv(resultsCsvRows(slices, rows), threshold), 'text/csv');
  const exportMasks = () =>
    download(
      named(predictedMasksZipName(prefix, threshold)),
      storedZip(predictedMaskFiles(slices, rows)),
      'application/zip',
    );
  // The close button leaves with its panel: focus goes to where a user opens the next thing, not to the page's start.
  const close = () => {
    closePatientView();
    handFocus(null);
  };
  const exportPng = () => void downloadViewPng();

  let roc = null;
  let pr = null;
  if (m && m.labels.some(Boolean) && m.labels.some((l) => !l)) {
    roc = rocCurve(m.labels, m.probs);
    pr = precisionRecallCurve(m.labels, m.probs);
  }
  const c = m?.confusion;
  const report = c ? shownReport(c) : null;
  const sc = c ? shownScores(c) : null;
  return (
    <section className="panel patient-panel" aria-labelledby="patient-h" data-testid="patient-panel">
      {/* The button beside the heading, not in it: inside, it made the heading and region "Patient … Close the patient". */}
      <div className="patient-head">
        <h2 id="patient-h">{patient ? `Patient ${patient}` : `${slices.length} images`}</h2>
        <button type="button" className="btn link" aria-label="Close the patient" onClick={close}>
          ×
        </button>
      </div>
      {folder && <PatientChooser patients={folder.patients} shown={shownPatient!} pending={!!folder.pending} />}
      {(notRead || notGiven) && (
        <p className="warn" data-testid="patient-gaps">
          {slices.length} of {numbered} slices: {[notRead, notGiven].filter(Boolean).join('; ')}. The figures below cover the {slices.length} slices {notRead ? 'read' : 'given'}.
          {unread.map((u) => (
            <span key={u.index} className="wrap-anywhere" data-testid="unread-reason">
              {' '}
              {u.reason}
            </span>
          ))}
        </p>
      )}
      {outside.length > 0 && (
        <p className="warn" data-testid="patient-input-notes">
          {outside.join('; ')}.
        </p>
      )}
      <p className="muted" data-testid="patient-summary">
        {analyzed.length}/{slices.length} slices; {above} at or above {f2(threshold)}
        {above > 0 && <span data-testid="patient-flagged">: {sliceRanges(rows.flatMap((r, i) => (r.decision ? [slices[i].name.index ?? i + 1] : [])))}</span>}
        {sps !== null && <span data-testid="patient-speed">; {sps.toFixed(2)} slices/s</span>}
      </p>
      {m && c && (
        <>
          <table className="metrics-table confusion" data-testid="confusion">
            <caption>
              Confusion over {m.labels.length} {m.labels.length === 1 ? 'slice' : 'slices'} with masks {runNote ? `${runNote}; rows: truth` : '(rows: truth)'}
            </caption>
            <thead>
              <tr><td /><th scope="col">pred. no</th><th scope="col">pred. tumor</th></tr>
            </thead>
            <tbody>
              <tr><th scope="row">no tumor</th><td data-testid="cm-tn">{c.tn}</td><td data-testid="cm-fp">{c.fp}</td></tr>
              <tr><th scope="row">tumor</th><td data-testid="cm-fn">{c.fn}</td><td data-testid="cm-tp">{c.tp}</td></tr>
            </tbody>
          </table>
          <table className="metrics-table" data-testid="class-report">
            <caption>Classification report{runNote ? ` ${runNote}` : ''}</caption>
            <thead>
              <tr><td /><th scope="col">precision</th><th scope="col">recall</th><th scope="col">f1</th><th scope="col">support</th></tr>
            </thead>
            <tbody>
              {([['no tumor', report!.noTumor], ['tumor', report!.tumor], ['macro avg', report!.macroAvg], ['weighted avg', report!.weightedAvg]] as const).map(([label, r]) => (
                <tr key={label}><th scope="row">{label}</th><td>{shownScore(r.precision)}</td><td>{shownScore(r.recall)}</td><td>{shownScore(r.f1)}</td><td>{r.support}</td></tr>
              ))}
            </tbody>
          </table>
          <p data-testid="patient-scores">
            accuracy <b data-testid="s-accuracy">{shownScore(sc!.accuracy)}</b> · precision <b data-testid="s-precision">{shownScore(sc!.precision)}</b> · recall{' '}
            <b data-testid="s-recall">{shownScore(sc!.recall)}</b> · specificity <b data-testid="s-specificity">{shownScore(sc!.specificity)}</b> · F1 <b data-testid="s-f1">{shownScore(sc!.f1)}</b>
            {runNote && <span className="muted"> {runNote}</span>}
          </p>
          {roc && pr && (
            <div className="curves">
              <Curve title={`ROC (AUC ${f2(roc.auc)})`} scope={runNote ?? undefined} points={roc.points} marker={{ x: ratio(c.fp, c.fp + c.tn), y: ratio(c.tp, c.tp + c.fn) }} xLabel="false-positive rate" yLabel="recall" testId="roc" />
              <Curve title="Precision-recall" scope={runNote ?? undefined} points={pr} marker={c.tp + c.fp ? { x: ratio(c.tp, c.tp + c.fn), y: ratio(c.tp, c.tp + c.fp) } : null} xLabel="recall" yLabel="precision" testId="pr" />
            </div>
          )}
          <p>
            3-D Dice (two-stage, {scope.label}): <b data-testid="dice3d">{overlapScore(m.dice3d, noTumorInEither(m.volume.predicted, m.volume.truth))}</b>
            <span className="muted" data-testid="dice3d-pixels"> — {count(m.volume.intersection)} px overlap, {count(m.volume.predicted)} predicted, {count(m.volume.truth)} true</span>
          </p>
          <p className="muted">
            Per-slice Dice of the selected slice:{' '}
            <span data-testid="slice-dice">{overlapScore(rows[selected]?.dice ?? null, !!rows[selected] && rowWithNoTumorInEither(rows[selected]))}</span>
          </p>
        </>
      )}
      {!m && !hasMasks && <p className="muted">No _mask files were given: no accuracy figures; the plot under the strip shows the probability per slice.</p>}
      {!m && hasMasks && <p className="muted">Accuracy figures appear once slices with masks are analyzed.</p>}
      <p data-testid="volume">
        Predicted tumor volume: <b>{count(volumePixels)}</b> pixels (summed over {scope.summed}).{' '}
        <span className="muted">The LGG TIFFs carry no pixel spacing or slice thickness, so no mm³ figure is given.</span>
        {otherSize && (
          <span className="muted" data-testid="grid-note">
            {' '}Pixels here are on the models' {IMAGE_SIZE}×{IMAGE_SIZE} grid; the CSV and the saved masks count them in each file's own size.
          </span>
        )}
      </p>
      <div className="export-row">
        <button type="button" className="btn small-btn" onClick={exportCsv} disabled={analyzed.length === 0 || running} title={exportTitle} data-testid="export-csv">CSV</button>
        <button type="button" className="btn small-btn" onClick={exportMasks} disabled={analyzed.length === 0 || running} title={exportTitle} data-testid="export-masks">Masks (.zip of TIFF)</button>
        <button type="button" className="btn small-btn" onClick={exportPng} data-testid="export-png">PNG of view</button>
        {running && (
          <span className="muted small" data-testid="export-wait">
            CSV and masks once the run ends
          </span>
        )}
      </div>
    </section>
  );
}
