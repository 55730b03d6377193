/** npm runs workspace scripts inside training/; resolve user paths against where the user typed the command. */
import { isAbsolute, relative, resolve } from 'node:path';

export function userPath(p: string): string {
  return isAbsolute(p) ? p : resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

/** The repository root (for defaults such as public/models). */
export const REPO_ROOT = resolve(new URL('../../../', import.meta.url).pathname);

/** Whether a path lies in the app's public/ folder, which every build ships to every user. */
export function shippedWithApp(p: string): boolean {
  const rel = relative(resolve(REPO_ROOT, 'public'), resolve(p));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
