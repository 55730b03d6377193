/** Paths and data helpers for training tests: resolved from this file, never from /work. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(new URL('../../', import.meta.url).pathname);
export const SHARED_LGG = resolve(REPO, '../shared/data/lgg');
export const FIXTURES = join(SHARED_LGG, 'fixtures');

/** Two patients used across tests: small ones with both tumor and no-tumor slices. */
export const TWO_PATIENTS = ['TCGA_CS_4941_19960909', 'TCGA_CS_4942_19970222'];

/** Unpacks patients (verified by checksum) into a fresh temp dir; returns the kaggle_3m folder. */
export function unpackPatients(patients: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'lgg-train-'));
  execFileSync('bash', [join(SHARED_LGG, 'unpack.sh'), dir, ...patients], { stdio: 'pipe' });
  return join(dir, 'kaggle_3m');
}
