// The proofs' step log: each step prints ✓ or ✗ with its duration, a failed step prints why,
// and the run closes with "<proof>: N passed, N failed". A failed step stops the proof unless
// it was declared with `check` (the proof goes on, still counting the failure).

/** Thrown by `step` after a failure has been recorded, to stop the proof. */
export class ProofStopped extends Error {
  code = "STRATA_RELEASE_STOPPED";
}

function describe(error) {
  const lines = [error instanceof Error ? error.message : String(error)];
  if (error && typeof error === "object" && "output" in error && error.output) lines.push(String(error.output));
  return lines.join("\n").replace(/^/gm, "      ");
}

/** Creates the step log of the proof called `proof`. */
export function createSteps(proof) {
  const results = [];
  const started = Date.now();

  async function attempt(name, fn) {
    const t0 = Date.now();
    try {
      const value = await fn();
      results.push({ name, ok: true });
      console.log(`  ✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      return { ok: true, value };
    } catch (error) {
      results.push({ name, ok: false });
      console.log(`  ✗ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n${describe(error)}`);
      return { ok: false, error };
    }
  }

  return {
    /** Runs a step the rest of the proof depends on: a failure stops the proof. */
    async step(name, fn) {
      const result = await attempt(name, fn);
      if (!result.ok) throw new ProofStopped(`${proof}: stopped at "${name}"`);
      return result.value;
    },
    /** Runs a step whose failure is counted but does not stop the proof; resolves to whether it passed. */
    async check(name, fn) {
      return (await attempt(name, fn)).ok;
    },
    /** Prints the closing line and returns the exit code (0 only when every step passed). */
    finish(error) {
      if (error && !(error instanceof ProofStopped)) {
        results.push({ name: "unexpected error", ok: false });
        console.log(`  ✗ unexpected error\n${describe(error)}`);
      }
      const passed = results.filter((r) => r.ok).length;
      const failed = results.length - passed;
      console.log(`\n${proof} took ${((Date.now() - started) / 1000).toFixed(0)} s`);
      console.log(`${proof}: ${passed} passed, ${failed} failed`);
      return failed === 0 && !error ? 0 : 1;
    },
  };
}
