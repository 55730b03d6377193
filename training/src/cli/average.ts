/**
 * npm run average-weights -- --models DIR_A,DIR_B[,...] --out RUN_DIR [--force] [--backend NAME]
 * The mean of trained models' weights (export/average-weights.ts), written as a run folder for `export-models --run`.
 * Each DIR is a training run folder or an exported model folder; all of one model, one architecture, one split.
 */
import { chooseBackend } from '../backend/ladder';
import { averageRuns, IngredientError } from '../export/average-weights';
import { userPath } from './paths';
import { defineCommand, parseCommand } from './flags';
import { runCli, UsageError } from './run-cli';

const AVERAGE = defineCommand({
  script: 'average-weights',
  about: "The mean of trained models' weights, written as a run folder for npm run export-models -- --run. Each DIR is a training\n" +
    'run folder or an exported model folder; all of one model, one architecture, one patient split.',
  flags: {
    models: { type: 'string', value: 'DIR_A,DIR_B[,...]', required: true, help: 'the models to average, comma-separated (at least two)' },
    out: { type: 'string', value: 'RUN_DIR', required: true, help: 'the run folder to write (refused if not empty, unless --force)' },
    force: { type: 'boolean', default: false, help: 'replace a non-empty --out as a whole' },
    backend: { type: 'string', value: 'NAME', default: 'cpu', help: 'tfjs backend for the arithmetic' },
  },
});

async function main(): Promise<number> {
  const values = parseCommand(AVERAGE);
  if (!values.models || !values.out) throw new UsageError('average-weights: usage: npm run average-weights -- --models DIR_A,DIR_B[,...] --out RUN_DIR [--force] [--backend NAME] (--help lists the flags)');
  await chooseBackend(values.backend, () => {});
  const dirs = values.models.split(',').map((d) => d.trim()).filter(Boolean);
  const card = await averageRuns(dirs.map(userPath), userPath(values.out), `npm run average-weights -- ${process.argv.slice(2).join(' ')}`, values.force).catch((e: unknown) => {
    throw e instanceof IngredientError || e instanceof UsageError ? new UsageError(`average-weights: ${e.message}`) : e;
  });
  console.log(`average-weights: ${card.name}, the mean of ${dirs.length} models -> ${userPath(values.out)} (export it with npm run export-models -- --run ${values.out} --model ${card.name})`);
  return 0;
}

runCli(main);
