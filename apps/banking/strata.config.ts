// The banking app as `strata projections status|retry|skip|rebuild` sees it: run the CLI from
// apps/banking with the app's environment (DATABASE_URL, STRATA_SCHEMA, keys). See docs/banking-app.md.
import { operationsConfig } from "./src/operations-config.js";

export default await operationsConfig(process.env);
