import type { Workload } from "../harness/workload.js";
import { aAggregates } from "./a-aggregates.js";
import { cPersonalData } from "./c-personal-data.js";
import { pProjections } from "./p-projections.js";
import { pScaleOut } from "./p-scale-out.js";
import { w1SequentialAppends } from "./w1-sequential-appends.js";
import { w2ConcurrentAppends } from "./w2-concurrent-appends.js";
import { w3BatchAppends } from "./w3-batch-appends.js";
import { w4UpcastingRead } from "./w4-upcasting-read.js";
import { w5ContendedStream } from "./w5-contended-stream.js";
import { w6GlobalRead } from "./w6-global-read.js";

/**
 * Every workload, in the order they run within a repetition. W1–W6 compare Strata with raw `pg`;
 * A (aggregates), P (projections), PW (projections scaled out over workers) and C (crypto-shredding) measure Strata's own features alone.
 */
export const workloads: readonly Workload[] = [
  w1SequentialAppends,
  w2ConcurrentAppends,
  w3BatchAppends,
  w4UpcastingRead,
  w5ContendedStream,
  w6GlobalRead,
  aAggregates,
  pProjections,
  pScaleOut,
  cPersonalData,
];
