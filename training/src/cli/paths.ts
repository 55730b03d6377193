/** npm runs workspace scripts inside training/; resolve user paths against where the user typed the command. */
import { isAbsolute, resolve } from 'node:path';

export function userPath(p: string): string {
  return isAbsolute(p) ? p : resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

/** The repository root (for defaults such as public/models). */
export const REPO_ROOT = resolve(new URL('../../../', import.meta.url).pathname);
