/** Which patients to evaluate: all in the folder, a given list, or a split recorded in the models' cards. */
import { InputError } from '../../../src/io/errors';
import type { ModelCard, ModelName } from '../../../src/core/card';
import { UsageError } from '../cli/run-cli';

export const SPLITS = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

export interface Selection {
  patients: string[];
  /** How they were chosen, for the report. */
  description: string;
}

function splitOf(cards: Partial<Record<ModelName, ModelCard>>, split: SplitName): string[] {
  const lists = (['classifier', 'segmenter'] as const)
    .map((name) => ({ name, patients: cards[name]?.data?.patients[split] }))
    .filter((l): l is { name: 'classifier' | 'segmenter'; patients: string[] } => Array.isArray(l.patients));
  if (lists.length === 0) throw new UsageError(`--split ${split}: neither model's card.json records a patient split (untrained export?); use --patients`);
  const [first, second] = lists;
  if (second && [...first.patients].sort().join() !== [...second.patients].sort().join())
    // Scoring one model on the other's training patients would leak; refuse rather than guess.
    throw new UsageError(`--split ${split}: the classifier's and the segmenter's cards list different ${split} patients; pass --patients explicitly`);
  return [...first.patients].sort();
}

export function selectPatients(available: string[], dataDir: string, cards: Partial<Record<ModelName, ModelCard>>, opts: { patients?: string[]; split?: SplitName }): Selection {
  if (opts.patients && opts.split) throw new UsageError('use either --patients or --split, not both');
  let wanted: string[];
  let description: string;
  if (opts.split) {
    wanted = splitOf(cards, opts.split);
    description = `the "${opts.split}" split recorded in the models' card.json (${wanted.length} patients)`;
  } else if (opts.patients) {
    wanted = [...new Set(opts.patients)].sort();
    description = `patients given with --patients (${wanted.length})`;
  } else {
    return { patients: available, description: `every patient folder in the data folder (${available.length})` };
  }
  const missing = wanted.filter((p) => !available.includes(p));
  if (missing.length) throw new InputError(dataDir, `no folder for patient(s) ${missing.join(', ')}`);
  return { patients: wanted, description };
}

/** The patients a model was trained or validated on (its card's train and val splits): scores on them are not held out. */
export function seenInTraining(cards: Partial<Record<ModelName, ModelCard>>, patients: string[]): string[] {
  const seen = new Set(Object.values(cards).flatMap((c) => [...(c?.data?.patients.train ?? []), ...(c?.data?.patients.val ?? [])]));
  return patients.filter((p) => seen.has(p));
}
