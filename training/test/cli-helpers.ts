/** Spawning the training CLIs as `npm run <script>` would, for tests of their flags and exit codes. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './helpers';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runTrainingCli(script: string, args: string[], timeout = 120_000): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'training/src/cli', `${script}.ts`), ...args], {
    cwd: join(REPO, 'training'),
    env: { ...process.env, LGG_DEBUG: '' },
    encoding: 'utf8',
    timeout,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The stderr lines that are not tfjs' "install the node backend" banner. */
export function errorLines(r: CliResult): string[] {
  return r.stderr
    .split('\n')
    .filter((l) => l.trim() && !/^=+$/.test(l.trim()) && !/TensorFlow\.js in Node\.js|tfjs-node for more details/.test(l));
}
