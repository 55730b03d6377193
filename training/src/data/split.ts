/** Seeded split by patient (never by slice: a patient's slices are near-duplicates). */
import { Rng } from '../backend/seeded-random';

export interface PatientSplit {
  seed: number;
  train: string[];
  val: string[];
  test: string[];
}

export const DEFAULT_FRACTIONS = { val: 0.15, test: 0.15 };

/**
 * ~70/15/15 of patients. Validation and test get at least one patient each when there are enough
 * patients (2 patients: train + val; 3+: train + val + test), so tiny smoke runs still validate.
 */
export function splitPatients(patients: string[], seed: number, fractions = DEFAULT_FRACTIONS): PatientSplit {
  const sorted = [...new Set(patients)].sort();
  const n = sorted.length;
  if (n === 0) throw new Error('cannot split zero patients');
  const order = new Rng(seed).shuffle(sorted);
  const nVal = n >= 2 ? Math.max(1, Math.round(n * fractions.val)) : 0;
  const nTest = n >= 3 ? Math.max(1, Math.round(n * fractions.test)) : 0;
  const nTrain = n - nVal - nTest;
  return {
    seed,
    train: order.slice(0, nTrain).sort(),
    val: order.slice(nTrain, nTrain + nVal).sort(),
    test: order.slice(nTrain + nVal).sort(),
  };
}

/** Whether two splits put the same patients on each side (the seed aside). */
export function samePatients(a: Omit<PatientSplit, 'seed'>, b: Omit<PatientSplit, 'seed'>): boolean {
  const key = (s: Omit<PatientSplit, 'seed'>) => JSON.stringify([s.train, s.val, s.test].map((p) => [...p].sort()));
  return key(a) === key(b);
}
