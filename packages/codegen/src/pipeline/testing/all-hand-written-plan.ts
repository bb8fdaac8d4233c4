/** Test support: an upcaster plan that makes every step hand-written, whatever the schema diff says. */
import type { EventTypeModel } from "../../model/catalog-model.js";
import type { HandWrittenUpcasterStep } from "../../model/upcaster-plan.js";
import { handWrittenStep } from "../../upcasters/plan.js";

export function planAllHandWritten(event: EventTypeModel): HandWrittenUpcasterStep[] {
  return event.versions.slice(1).map((version) => handWrittenStep(event.name, version.version - 1));
}
