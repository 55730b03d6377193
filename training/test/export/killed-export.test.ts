import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../src/backend/ladder';
import { readCard } from '../../src/export/export-model';
import { loadModelFromDir, modelFolder } from '../../src/export/model-files';

const here = join(new URL('.', import.meta.url).pathname, 'kill');

beforeAll(async () => {
  await chooseBackend('cpu', () => {});
});

/** Runs kill/export-twice.ts into root with LGG_TEST_KILL set; returns whether it was killed. */
function exportTwice(root: string, kill: string): boolean {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', pathToFileURL(join(here, 'inject.mjs')).href, join(here, 'export-twice.ts'), root], {
    env: { ...process.env, LGG_TEST_KILL: kill },
    encoding: 'utf8',
  });
  if (r.signal !== 'SIGKILL' && r.status !== 0) throw new Error(`export-twice failed: ${r.stderr}`);
  return r.signal === 'SIGKILL';
}

/** The one value all weights of the readable export hold (throws on a mix of two exports), and its card's tag. */
async function readableExport(dir: string): Promise<{ value: number; card: string | undefined }> {
  const model = await loadModelFromDir(dir);
  const values = new Set(await Promise.all(model.weights.map(async (w) => (await w.read().data())[0])));
  model.dispose();
  expect([...values]).toHaveLength(1);
  return { value: [...values][0], card: readCard(modelFolder(dir))?.training?.command };
}

const allEntries = (root: string): string[] => readdirSync(root, { recursive: true }).map(String);

describe('an export killed at any instant leaves one whole export, weights and card together', () => {
  it('killed after each rename: the readable folder is the first or the second export, never a mix', async () => {
    let kills = 0;
    for (let nth = 1; nth <= 4; nth++) {
      const root = mkdtempSync(join(tmpdir(), 'lgg-killed-export-'));
      kills += exportTwice(root, `rename:${nth}`) ? 1 : 0;
      const { value, card } = await readableExport(join(root, 'segmenter'));
      expect(card).toBe(value === 1 ? 'first' : 'second');
    }
    expect(kills).toBeGreaterThan(0); // the injection really hit the second export
  }, 240_000);

  it('killed half-way through writing a shard: no temp file is left once the export is done again, other files are kept', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lgg-killed-write-'));
    expect(exportTwice(root, 'write:2')).toBe(true);
    writeFileSync(join(modelFolder(join(root, 'segmenter')), 'eval-test.json'), '{}');
    expect(exportTwice(root, '')).toBe(false);
    expect(allEntries(root).filter((e) => e.includes('.tmp-') || e.endsWith('.old'))).toEqual([]);
    expect(allEntries(root)).toContain(join('segmenter', 'eval-test.json'));
    expect((await readableExport(join(root, 'segmenter'))).card).toBe('second');
  }, 120_000);
});
