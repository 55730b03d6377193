/**
 * npm run average-weights -- --models DIR_A,DIR_B[,...] --out RUN_DIR [--force] [--backend NAME]
 * The mean of trained models' weights (export/average-weights.ts), written as a run folder for `export-models --run`.
 * Each DIR is a training run folder or an exported model folder; all of one model, one architecture, one split.
 */
import { chooseBackend } from '../backend/ladder';
import { averageRuns, IngredientError } from '../export/average-weights';
import { userPath } from './paths';
import { parseFlags } from './flags';
import { runCli, UsageError } from './run-cli';

async function main(): Promise<number> {
  const values = parseFlags({ models: { type: 'string' }, out: { type: 'string' }, backend: { type: 'string', default: 'cpu' }, force: { type: 'boolean', default: false } });
  if (!values.models || !values.out) throw new UsageError('usage: npm run average-weights -- --models DIR_A,DIR_B[,...] --out RUN_DIR [--force] [--backend NAME]');
  await chooseBackend(values.backend, () => {});
  const dirs = values.models.split(',').map((d) => d.trim()).filter(Boolean);
  const card = await averageRuns(dirs.map(userPath), userPath(values.out), `npm run average-weights -- ${process.argv.slice(2).join(' ')}`, values.force).catch((e: unknown) => {
    throw e instanceof IngredientError || e instanceof UsageError ? new UsageError(`average-weights: ${e.message}`) : e;
  });
  console.log(`average-weights: ${card.name}, the mean of ${dirs.length} models -> ${userPath(values.out)} (export it with npm run export-models -- --run ${values.out} --model ${card.name})`);
  return 0;
}

runCli(main);
