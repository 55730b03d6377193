/** npm runs workspace scripts inside training/; resolve user paths against where the user typed the command. */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export function userPath(p: string): string {
  return isAbsolute(p) ? p : resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

/** The repository root (for defaults such as public/models). */
export const REPO_ROOT = resolve(new URL('../../../', import.meta.url).pathname);

/** The path with its links followed, as far as it exists (a folder about to be made has no real path yet). */
function realPath(p: string): string {
  const missing: string[] = [];
  let at = resolve(p);
  while (!existsSync(at) && dirname(at) !== at) {
    missing.unshift(basename(at));
    at = dirname(at);
  }
  return join(realpathSync(at), ...missing);
}

/** Whether a path lies in the app's public/ folder, which every build ships to every user (through a link too). */
export function shippedWithApp(p: string): boolean {
  const rel = relative(realPath(join(REPO_ROOT, 'public')), realPath(p));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
