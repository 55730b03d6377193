/** Bad data folders fail through the CLI with a message that names the file or folder at fault (the reader itself: test/data). */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = resolve(repo, '../shared/data/lgg/fixtures');
const P = 'TCGA_FG_6688_20020215';
let tmp: string;

function patientDir(root: string, files: Record<string, string | null>): string {
  const dir = join(root, 'kaggle_3m', P);
  mkdirSync(dir, { recursive: true });
  // null: copy the fixture of that name; a string: write it as the file's (broken) content.
  for (const [name, content] of Object.entries(files)) content === null ? copyFileSync(join(fixtures, name), join(dir, name)) : writeFileSync(join(dir, name), content);
  return dir;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'lgg-eval-bad-'));
});
afterAll(() => tmp && rmSync(tmp, { recursive: true, force: true }));

describe('npm run evaluate on bad data', () => {
  const run = (args: string[]) =>
    promisify(execFile)(join(repo, 'node_modules/.bin/tsx'), [join(repo, 'training/src/cli/evaluate.ts'), ...args], { cwd: repo }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('exits 2 with a message naming the file, without a stack trace', async () => {
    const dir = patientDir(join(tmp, 'cli'), { [`${P}_12.tif`]: null });
    const r = await run(['--data', join(tmp, 'cli'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`data error: ${join(dir, `${P}_12.tif`)}: missing mask: expected ${join(dir, `${P}_12_mask.tif`)}`);
  });

  it('names a TIFF that turns out broken while the models run', async () => {
    const dir = patientDir(join(tmp, 'cli-broken'), { [`${P}_20.tif`]: 'this is no tiff', [`${P}_20_mask.tif`]: null });
    const r = await run(['--data', join(tmp, 'cli-broken'), '--quiet']);
    expect(r.code).toBe(2);
    // stderr may also hold the backend ladder's probe noise (Dawn's Vulkan warning): look for our line.
    expect(r.stderr).toContain(`data error: ${join(dir, `${P}_20.tif`)}: not a TIFF file`);
  });

  it('names a data folder that does not exist, and prints usage without --data', async () => {
    const [r, u] = await Promise.all([run(['--data', join(tmp, 'nowhere')]), run([])]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`data error: ${join(tmp, 'nowhere')}: no such data folder`);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/^usage: npm run evaluate -- --data DIR/);
  });
});
