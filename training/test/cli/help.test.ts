import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineCommand, helpText, wantsHelp } from '../../src/cli/flags';
import { errorLines, runTrainingCli } from '../cli-helpers';
import { REPO } from '../helpers';

/** Each CLI file under training/src/cli and the root npm script a user runs it by. */
const COMMANDS: [file: string, script: string][] = [
  ['train', 'train'],
  ['export', 'export-models'],
  ['pack', 'pack'],
  ['import-torch', 'import-torch'],
  ['average', 'average-weights'],
  ['bench-train', 'bench:train'],
  ['evaluate', 'evaluate'],
  ['compare', 'compare'],
  ['fit-combined', 'fit-combined'],
];

/** The flags a help text lists (`  --name VALUE  meaning`), in order. */
const helpFlags = (text: string) => [...text.matchAll(/^ {2}(?:-h, )?--([a-z0-9-]+)/gm)].map((m) => m[1]).filter((f) => f !== 'help');

describe('--help and -h', () => {
  it('the help text: the usage line names the npm script, then what it does, then every flag with its default', () => {
    const cmd = defineCommand({
      script: 'demo',
      about: 'Does a thing.',
      flags: {
        data: { type: 'string', value: 'DIR', required: true, help: 'the input' },
        seed: { type: 'string', value: 'N', default: '42', help: 'the seed' },
        epochs: { type: 'string', value: 'N', defaultHelp: '40 classifier, 30 segmenter', help: 'how long' },
        fast: { type: 'boolean', default: false, help: 'go fast' },
      },
    });
    const text = helpText(cmd);
    expect(text.split('\n').slice(0, 2)).toEqual(['usage: npm run demo -- --data DIR [flags]', 'Does a thing.']);
    expect(text).toMatch(/^ {2}--data DIR +the input \[required\]$/m);
    expect(text).toMatch(/^ {2}--seed N +the seed \[default: 42\]$/m);
    expect(text).toMatch(/^ {2}--epochs N +how long \[default: 40 classifier, 30 segmenter\]$/m);
    expect(text).toMatch(/^ {2}--fast +go fast$/m);
    expect(text).toMatch(/^ {2}-h, --help +print this help and exit$/m);
    expect(helpFlags(text)).toEqual(['data', 'seed', 'epochs', 'fast']);
  });

  it('-h as the value of a string flag is not a request for help', () => {
    const flags = { as: { type: 'string', help: '' }, force: { type: 'boolean', help: '' } } as const;
    expect(wantsHelp(['--force', '-h'], flags)).toBe(true);
    expect(wantsHelp(['--as', 'x', '--help'], flags)).toBe(true);
    expect(wantsHelp(['--as', '-h'], flags)).toBe(false);
    expect(wantsHelp(['--as=x', '-h'], flags)).toBe(true);
  });

  for (const [file, script] of COMMANDS)
    it(`npm run ${script} -- --help / -h: the usage on stdout, exit 0, nothing started`, () => {
      for (const flag of ['--help', '-h']) {
        // Whatever else is on the line, even a wrong flag: help wins.
        const r = runTrainingCli(file, [flag, '--not-a-flag'], 60_000);
        expect(errorLines(r)).toEqual([]);
        expect(r.status).toBe(0);
        const lines = r.stdout.split('\n');
        expect(lines[0]).toMatch(new RegExp(`^usage: npm run ${script.replace(':', '\\:')} -- `));
        expect(lines[1].length).toBeGreaterThan(20); // what the command does
        expect(helpFlags(r.stdout).length).toBeGreaterThan(2);
      }
    }, 120_000);

  it('evaluate, compare, fit-combined: without their required flags, their usage on stderr and exit 2', () => {
    for (const [script, args] of [['evaluate', []], ['compare', ['--data', 'DIR']], ['fit-combined', []]] as const) {
      const r = runTrainingCli(script, [...args], 60_000);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(errorLines(r)[0]).toMatch(new RegExp(`^usage: npm run ${script} -- --data DIR `));
      // The usage comes from the command's own flag definitions, and says where the rest of them are.
      expect(errorLines(r).at(-1)).toBe(`(npm run ${script} -- --help lists every flag)`);
    }
  }, 120_000);

  it("evaluate, compare, fit-combined: every flag of training/README.md's usage lines is in --help", () => {
    const lines = readFileSync(join(REPO, 'training/README.md'), 'utf8').split('\n');
    for (const script of ['evaluate', 'compare', 'fit-combined']) {
      // A usage line in a code block, with its continuation line after a trailing backslash.
      const usage = lines.flatMap((l, i) => (l.startsWith(`    npm run ${script} -- `) ? [l, l.endsWith('\\') ? lines[i + 1] : ''] : [])).join(' ');
      const flags = [...usage.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]);
      expect(flags).toContain('data');
      const help = helpFlags(runTrainingCli(script, ['--help'], 60_000).stdout);
      for (const flag of flags) expect(help, `${script} --${flag}`).toContain(flag);
    }
  }, 120_000);

  it("train's flags in --help are the flags of training/README.md's table", () => {
    const help = helpFlags(runTrainingCli('train', ['--help'], 60_000).stdout);
    const readme = readFileSync(join(REPO, 'training/README.md'), 'utf8').split('\n');
    const start = readme.findIndex((l) => l.startsWith('| flag | default | meaning |'));
    expect(start).toBeGreaterThan(0);
    const end = readme.findIndex((l, i) => i > start && !l.startsWith('|'));
    const table = readme.slice(start + 2, end).flatMap((row) => [...row.split('|')[1].matchAll(/--([a-z0-9-]+)/g)].map((m) => m[1]));
    expect([...table].sort()).toEqual([...help].sort());
    expect(help).toContain('model');
    expect(help).toContain('restart');
  }, 60_000);
});
