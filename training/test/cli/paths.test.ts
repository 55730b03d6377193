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
  });
});
