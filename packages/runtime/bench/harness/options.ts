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
}

export const DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/test";

const USAGE = `Usage: pnpm bench [-- --quick] [--reps N] [--only W1,W3] [--no-warmup] [--out file.json]
  DATABASE_URL defaults to ${DEFAULT_DATABASE_URL}`;

/** Parses `process.argv`-style arguments; throws with the usage text on anything unknown. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  let quick = false;
  let reps = 3;
  let only: string[] = [];
  let warmup = true;
  let out: string | undefined;
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
    out: out ?? new URL(quick ? "../results/latest-quick.json" : "../results/latest.json", import.meta.url).pathname,
  };
}
