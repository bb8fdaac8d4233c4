/** Command-line options of `pnpm bench`. */
export interface BenchOptions {
  /** Smoke run: a tenth of the events, results written beside (not over) `latest.json`. */
  readonly quick: boolean;
  /** Interleaved repetitions per workload; the reported figure is their median. */
  readonly reps: number;
  /** Workload ids to run (`W1`, `W6`, …); empty means all. */
  readonly only: readonly string[];
  /** Runs every workload once at a small size before measuring, so JIT warm-up is not billed to the first figure. */
  readonly warmup: boolean;
  readonly databaseUrl: string;
  /** Where the JSON results go, relative to the current directory. */
  readonly out: string;
  /**
   * Store sizes for the growth workload G (`--preload 1M,10M`): each target gets a schema per
   * size, seeded untimed and kept for later runs (see harness/preload.ts). Empty: no growth run.
   */
  readonly preload: readonly number[];
}

export const DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/test";

const USAGE = `Usage: pnpm bench [-- --quick] [--reps N] [--only W1,W3] [--no-warmup] [--out file.json] [--preload 1M,10M]
  --preload runs the growth workload G on stores preloaded with that many events (kept between runs)
  DATABASE_URL defaults to ${DEFAULT_DATABASE_URL}`;

/** Parses `process.argv`-style arguments; throws with the usage text on anything unknown. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  let quick = false;
  let reps = 3;
  let only: string[] = [];
  let warmup = true;
  let out: string | undefined;
  let preload: number[] = [];
  const args = argv.filter((arg) => arg !== "--");
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${arg} needs a value.\n${USAGE}`);
      return next;
    };
    switch (arg) {
      case "--quick":
        quick = true;
        break;
      case "--reps":
        reps = Number.parseInt(value(), 10);
        if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer.\n${USAGE}`);
        break;
      case "--only":
        only = value()
          .split(",")
          .map((id) => id.trim().toUpperCase())
          .filter((id) => id !== "");
        break;
      case "--no-warmup":
        warmup = false;
        break;
      case "--out":
        out = value();
        break;
      case "--preload":
        preload = value()
          .split(",")
          .filter((size) => size.trim() !== "")
          .map(parseCount);
        break;
      case "--help":
      case "-h":
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown argument "${arg}".\n${USAGE}`);
    }
  }
  return {
    quick,
    reps,
    only,
    warmup,
    databaseUrl: env["DATABASE_URL"] || DEFAULT_DATABASE_URL,
    out: out ?? new URL(quick ? "../results/latest-quick.json" : preload.length > 0 ? "../results/latest-growth.json" : "../results/latest.json", import.meta.url).pathname,
    preload: [...new Set(preload)].sort((a, b) => a - b),
  };
}

/** `10000000`, `10_000_000`, `10M` or `250k` as a positive integer. */
function parseCount(text: string): number {
  const match = /^(\d[\d_]*)([kKmM]?)$/.exec(text.trim());
  const count = match === null ? Number.NaN : Number((match[1] ?? "").replaceAll("_", "")) * (match[2] === "" ? 1 : /k/i.test(match[2] ?? "") ? 1_000 : 1_000_000);
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`--preload takes positive event counts such as 1M,10M, not "${text}".\n${USAGE}`);
  return count;
}
