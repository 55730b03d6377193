import type { ClassifierTestMetrics, ModelCard, SegmenterTestMetrics } from '../core/card';
import { combinedFormulaText, type CombinedCard } from '../core/combined';
import { BACKEND_NAMES, type BackendName, type DownloadBytes, type ReadyInfo } from '../inference/types';
import { reanalyzeCurrent } from '../state/actions';
import { requestedBackend, retryModels, setBackendSetting } from '../state/engine';
import { setSingleKeys } from '../state/key-setting';
import { useStore, type EngineState } from '../state/store';
import { bytesOf, count, downloadStalled, downloadText, fixed, pct, seconds } from './format';
import { useNow } from './useNow';

type EngineWarmUp = ReadyInfo['warmUp'] | null;

function warmUpText(state: EngineWarmUp, ms: number | null): string {
  if (state === 'done') return `warmed up in ${seconds(ms ?? 0)}`;
  if (state === 'partial') return `partly warmed up in ${seconds(ms ?? 0)}, the rest left to the first slice`;
  if (state === 'skipped') return 'warm-up left to the first slice';
  return 'no warm-up';
}

/** One model's bar and bytes. Not live: a screen reader hears the bytes when it reaches the bar, not at every piece. */
function Progress({ label, bytes }: { label: string; bytes: DownloadBytes }) {
  const text = bytesOf(bytes.receivedBytes, bytes.totalBytes);
  const fraction = bytes.totalBytes ? Math.min(1, bytes.receivedBytes / bytes.totalBytes) : 0;
  return (
    <label className="row small">
      <span className="progress-label">{label}</span>
      <progress max={1} value={fraction} aria-label={`${label} download`} aria-valuetext={text} />
      <span className="progress-bytes">{text}</span>
    </label>
  );
}

/** All the models' bytes and the time left, over their bars; the total once every model's model.json has said its own. */
function DownloadLine({ engine }: { engine: EngineState }) {
  // A second segmenter that cannot be used is done at what it received (nothing more will come): the sum neither
  // shrinks nor waits for it, and a server's HTML answer to its missing model.json leaves no total unknown.
  const bytes = (['classifier', 'segmenter', 'segmenter2'] as const).map((m) =>
    m === 'segmenter2' && engine.segmenter2Note ? { receivedBytes: engine.progress[m].receivedBytes, totalBytes: engine.progress[m].receivedBytes } : engine.progress[m],
  );
  const received = bytes.reduce((sum, b) => sum + b.receivedBytes, 0);
  const total = bytes.every((b) => b.totalBytes !== null) ? bytes.reduce((sum, b) => sum + b.totalBytes!, 0) : null;
  // A clock of its own: when no bytes come, no progress event re-renders the line to say it has stalled.
  const now = useNow(1000);
  const quietMs = now - (engine.lastBytesAt ?? engine.loadingSince);
  const stalled = downloadStalled(received, total, quietMs);
  return (
    <>
      <p className="small" data-testid="download">
        {downloadText(received, total, engine.downloadMs, quietMs)}
      </p>
      {/* Said once when it stops moving (the line itself is not live: it changes every second). */}
      <span className="visually-hidden" role="status">
        {stalled ? 'The model download has stopped moving; "Start the download again" follows.' : ''}
      </span>
      {stalled && (
        // A new worker opens new connections: what a hung one needs (the old requests are dropped with it).
        <button
          type="button"
          className="btn small-btn"
          data-testid="restart-download"
          onClick={() => {
            document.getElementById('models-h')?.focus();
            retryModels();
          }}
        >
          Start the download again
        </button>
      )}
    </>
  );
}

function CardMetrics({ card }: { card: ModelCard }) {
  const m = card.metrics?.test;
  if (!card.trained || !m) return <p className="warn small">Not trained yet: these weights are random and the answers mean nothing.</p>;
  if ('auc' in m) {
    const c = m as ClassifierTestMetrics;
    return (
      <p className="small">
        Test AUC {fixed(c.auc, 3)}
        {Object.entries(c.thresholds).map(([t, s]) => ` · at ${t}: recall ${pct(s.recall)}, specificity ${pct(s.specificity)}`)}
      </p>
    );
  }
  const s = m as SegmenterTestMetrics;
  return (
    <p className="small">
      {s.scored && <>Scored: {s.scored}. </>}
      Test Dice per slice {fixed(s.slice_dice_mean, 3)} · per patient {fixed(s.patient_dice_mean, 3)} · IoU {fixed(s.iou_mean, 3)}
    </p>
  );
}

function Card({ title, card, id }: { title: string; card: ModelCard | null; id: string }) {
  if (!card) return <p className="small muted">{title}: no model card.</p>;
  return (
    <div className="card" data-testid={`card-${id}`}>
      <h3>
        {title} <span className={card.trained ? 'tag ok' : 'tag warn'}>{card.trained ? 'trained' : 'untrained'}</span>
      </h3>
      <p className="small">
        {card.params.toLocaleString('en')} parameters · input {card.inputShape.join('×')} · {card.preprocessing}
      </p>
      <p className="small muted">{card.architecture}</p>
      {card.data && (
        <p className="small">
          {/* The card records the training machine's folder; the reader needs the data set, not that path. */}
          Data: the LGG MRI Segmentation set (Buda et al. 2019; {card.data.patients.train.length + card.data.patients.val.length + card.data.patients.test.length} of its 110 patients). Split by patient (seed {card.data.splitSeed}): {card.data.patients.train.length} / {card.data.patients.val.length} /{' '}
          {card.data.patients.test.length} patients, {count(card.data.slices.train)} / {count(card.data.slices.val)} / {count(card.data.slices.test)} slices (train / val / test).
        </p>
      )}
      <CardMetrics card={card} />
      {card.training &&
        (card.training.averageOf ? (
          <p className="small muted">
            The mean of {card.training.averageOf.length} trained models' weights:{' '}
            {card.training.averageOf.map((a) => `${a.epochs} epochs (best ${a.bestEpoch})`).join(' and ')}
          </p>
        ) : (
          <p className="small muted">
            Trained {card.training.epochs} epochs (best {card.training.bestEpoch}), batch {card.training.batchSize}, {card.training.backend} on {card.training.machine}
          </p>
        ))}
      <p className="small muted">Exported {new Date(card.date).toISOString().slice(0, 10)}</p>
    </div>
  );
}

function CombinedCardView({ card, twoSegmenters }: { card: CombinedCard; twoSegmenters: boolean }) {
  const w = card.weights;
  const test = card.metrics?.test;
  return (
    <div className="card" data-testid="card-combined">
      <h3>Combined probability</h3>
      <p className="small">
        The probability shown joins {twoSegmenters ? 'the classifier and the first segmenter' : 'both models'}:{' '}
        {combinedFormulaText(w, 2, {
          classifier: 'logit(classifier)',
          area: `ln(1 + ${twoSegmenters ? 'pixels the first segmenter outlines' : 'outlined pixels'})`,
          empty: twoSegmenters ? 'logit(classifier) where the first segmenter outlines nothing' : 'logit(classifier) where nothing is outlined',
        })}
        , fitted on{' '}
        {card.fitted.patients.length} {card.fitted.split} patients ({card.fitted.slices} slices).
      </p>
      {test && (
        <p className="small">
          Test AUC {fixed(test.auc, 3)}
          {Object.entries(test.thresholds).map(([t, s]) => ` · at ${t}: accuracy ${pct(s.accuracy)}, recall ${pct(s.recall)}, specificity ${pct(s.specificity)}`)}
        </p>
      )}
    </div>
  );
}

export function ModelPanel() {
  const engine = useStore((s) => s.engine);
  const singleKeys = useStore((s) => s.singleKeys);
  const setting = useStore((s) => s.backendSetting);
  const fromQuery = requestedBackend().source === 'query';
  return (
    <section className="panel" aria-labelledby="models-h">
      {/* tabIndex -1: focus lands here when "Load the models again" unmounts with the failure it answers. */}
      <h2 id="models-h" tabIndex={-1}>
        Models and backend
      </h2>
      {engine.phase === 'loading' && (
        <div data-testid="loading">
          <p className="small">{engine.status}…</p>
          <DownloadLine engine={engine} />
          <Progress label="Classifier" bytes={engine.progress.classifier} />
          <Progress label="Segmenter" bytes={engine.progress.segmenter} />
          {!engine.segmenter2Note && <Progress label="Second segmenter" bytes={engine.progress.segmenter2} />}
        </div>
      )}
      {engine.phase === 'failed' && (
        <div>
          <p className="error small wrap-anywhere" role="alert">
            The models could not start: {engine.error}
          </p>
          <button
            type="button"
            className="btn small-btn"
            onClick={() => {
              document.getElementById('models-h')?.focus();
              retryModels();
            }}
            data-testid="retry-models"
          >
            Load the models again
          </button>
        </div>
      )}
      <div className="small" data-testid="backend-info">
        {/* Always there (empty while loading), so that becoming ready is announced, once. */}
        <div role="status">
          {engine.backend && (
            <p>
              {engine.phase === 'ready' ? 'Models ready, running' : 'Running'} on <strong data-testid="backend-name">{engine.backend.name}</strong>: {engine.backend.reason}.
            </p>
          )}
        </div>
        {engine.backend && (
          <>
            {engine.backend.skipped.length > 0 && (
              <details>
                <summary>Not used</summary>
                <ul>{engine.backend.skipped.map((s) => <li key={s}>{s}</li>)}</ul>
              </details>
            )}
            {engine.loadMs != null && (
              <p className="muted">
                Backend ready in {seconds(engine.backendMs ?? 0)}, models loaded {seconds(engine.loadMs)} later (downloaded meanwhile),{' '}
                {warmUpText(engine.warmUp, engine.warmupMs)}.
              </p>
            )}
          </>
        )}
      </div>
      <label className="row small">
        <span>Backend</span>
        <select
          value={setting ?? ''}
          aria-label="Backend setting"
          disabled={fromQuery}
          title={fromQuery ? 'Set by ?backend= in the address' : undefined}
          onChange={(e) => {
            setBackendSetting((e.currentTarget.value || null) as BackendName | null);
            void reanalyzeCurrent();
          }}
        >
          <option value="">automatic</option>
          {BACKEND_NAMES.map((b) => (
            <option key={b} value={b}>{b}</option>
          ))}
        </select>
      </label>
      <label className="row small">
        <input type="checkbox" checked={singleKeys} onChange={(e) => setSingleKeys(e.currentTarget.checked)} data-testid="single-keys" />
        <span>One-key shortcuts (1 2 [ ] p t, N Shift+N)</span>
      </label>
      <details className="cards">
        <summary>Model cards</summary>
        <Card title="Classifier" card={engine.cards.classifier} id="classifier" />
        <Card title="Segmenter" card={engine.cards.segmenter} id="segmenter" />
        {!engine.segmenter2Note && <Card title="Second segmenter (draws the outline with the first)" card={engine.cards.segmenter2} id="segmenter2" />}
        {engine.combined && engine.phase !== 'failed' && <CombinedCardView card={engine.combined} twoSegmenters={!engine.segmenter2Note && engine.cards.segmenter2 !== null} />}
      </details>
      {engine.segmenter2Note && (
        <p className="muted small wrap-anywhere" data-testid="segmenter2-note">
          {engine.segmenter2Note}
        </p>
      )}
      {engine.combinedNote && (
        <p className="warn small wrap-anywhere" data-testid="combined-note">
          {engine.combinedNote}
        </p>
      )}
    </section>
  );
}
