/** The bench scripts' command line: `--name value` options and bare `--flag`s. */

/** The value after `--name`, or `fallback` when the option is absent or followed by another option. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  return value && !value.startsWith('--') ? value : fallback;
}

export const flag = (name: string): boolean => process.argv.includes(`--${name}`);
