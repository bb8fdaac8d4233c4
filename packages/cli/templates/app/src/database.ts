import type { DatabaseConfig } from "@strata/runtime";

/** PostgreSQL when DATABASE_URL is set; otherwise embedded PGlite in .strata-data/ (no server needed). */
export function database(): DatabaseConfig {
  const url = process.env["DATABASE_URL"];
  return url ? { kind: "postgres", connectionString: url } : { kind: "pglite", dataDir: ".strata-data" };
}
