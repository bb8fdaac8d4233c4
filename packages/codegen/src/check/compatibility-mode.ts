/** What each compatibility mode protects. */
import type { CompatibilityMode } from "../model/catalog-model.js";

/** The directions a mode protects and whether it compares every pair or only neighbours. */
export interface ModeRules {
  readonly backward: boolean;
  readonly forward: boolean;
  readonly transitive: boolean;
}

/** The rules of `mode`, with schema registries' meaning of the names. */
export function modeRules(mode: CompatibilityMode): ModeRules {
  switch (mode) {
    case "NONE":
      return { backward: false, forward: false, transitive: false };
    case "BACKWARD":
      return { backward: true, forward: false, transitive: false };
    case "BACKWARD_TRANSITIVE":
      return { backward: true, forward: false, transitive: true };
    case "FORWARD":
      return { backward: false, forward: true, transitive: false };
    case "FORWARD_TRANSITIVE":
      return { backward: false, forward: true, transitive: true };
    case "FULL":
      return { backward: true, forward: true, transitive: false };
    case "FULL_TRANSITIVE":
      return { backward: true, forward: true, transitive: true };
  }
}
