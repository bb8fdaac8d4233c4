/**
 * Runs the `strata` command with the given arguments and resolves to its exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  console.log(`strata: ${argv.join(" ")}`);
  return 0;
}
