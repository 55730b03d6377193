import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, shippedWithApp } from '../../src/cli/paths';

describe('shippedWithApp', () => {
  it('is true for public/ and anything in it, however written, and false elsewhere', () => {
    expect(shippedWithApp(join(REPO_ROOT, 'public'))).toBe(true);
    expect(shippedWithApp(join(REPO_ROOT, 'public/models/classifier/report'))).toBe(true);
    expect(shippedWithApp(join(REPO_ROOT, 'training/../public/models/report'))).toBe(true);
    expect(shippedWithApp(join(REPO_ROOT, 'public-reports'))).toBe(false);
    expect(shippedWithApp(join(REPO_ROOT, 'training/report'))).toBe(false);
    expect(shippedWithApp('/tmp/report')).toBe(false);
    // A folder whose name starts with two dots is inside, not above (before: taken for '..').
    expect(shippedWithApp(join(REPO_ROOT, 'public/..eval'))).toBe(true);
  });

  it('follows links: a folder reached through a link into public/ is in it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgg-paths-'));
    symlinkSync(join(REPO_ROOT, 'public'), join(dir, 'shipped'));
    expect(shippedWithApp(join(dir, 'shipped', 'models', 'not-yet-made'))).toBe(true);
    expect(shippedWithApp(join(dir, 'elsewhere'))).toBe(false);
  });
});
