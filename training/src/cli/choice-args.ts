/**
 * The flags of the commands that choose something on held-out patients other than test (fit-combined fits on them,
 * compare ranks candidates on them), and the rule both keep: the test patients only judge the result, once.
 */
import type { SplitName } from '../evaluate/selection';
import { LADDER_BACKEND_FLAG, QUIET_FLAG } from './flags';
import { UsageError } from './run-cli';

export const CHOICE_OPTIONS = {
  data: { type: 'string', value: 'DIR', required: true, help: 'kaggle_3m-layout folder' },
  models: { type: 'string' },
  split: { type: 'string', default: 'val', value: 'val|train' },
  backend: LADDER_BACKEND_FLAG,
  quiet: QUIET_FLAG,
} as const;

/** `--split` as a split a choice may be made on; throws on test (and on anything else but val or train). */
export function choiceSplit(split: string | undefined, what: string): SplitName {
  if (split === 'test') throw new UsageError(`--split test: the test patients judge the ${what} once; use val (or train)`);
  if (split !== 'val' && split !== 'train') throw new UsageError(`--split must be val or train, not "${split}"`);
  return split;
}
