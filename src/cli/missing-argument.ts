/**
 * The error for a command whose positional argument is missing. `--replay <file...>` takes
 * every word after it, so `query --replay a.log 'SELECT ...'` hands the SQL to --replay: when
 * a --replay value `looksLike` the argument, the message says how to write the command.
 */
export function missingArgument(
  what: string,
  command: string,
  replay: readonly string[] | undefined,
  looksLike: (value: string) => boolean,
): Error {
  const swallowed = (replay ?? []).find(looksLike);
  if (swallowed === undefined) {
    return new Error(`${command}: missing the ${what} argument; see \`${command} --help\``);
  }
  return new Error(
    `${command}: missing the ${what} argument: --replay took "${swallowed.slice(0, 60)}" as a ` +
      `file; put the ${what} before --replay (\`${command} ${what} --replay FILE...\`), ` +
      'or end the files with `--`',
  );
}
