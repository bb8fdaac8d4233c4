/**
 * The app's pino logger. Log lines carry ids, versions, codes and timings, never personal data:
 * request and response bodies are redacted (customer routes carry names, emails and addresses),
 * and errors are logged by class and code rather than message.
 *
 * @module
 */
import { pino } from "pino";
import type { Logger } from "pino";

/** Paths pino replaces with `[redacted]`. */
export const LOG_REDACT_PATHS = ["req.body", "res.body", "body", "req.headers.authorization", "req.headers.cookie", "data", "payload"];

/** Creates the logger (JSON lines to stdout). */
export function createLogger(level: string = process.env["LOG_LEVEL"] ?? "info"): Logger {
  return pino({ level, redact: { paths: LOG_REDACT_PATHS, censor: "[redacted]" } });
}

/** The logger as the runtime's aggregate layer and the projections want it. */
export function aggregateLoggerOf(logger: Logger): {
  debug(message: string, fields: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields: Readonly<Record<string, unknown>>): void;
  error(message: string, fields: Readonly<Record<string, unknown>>): void;
} {
  return {
    debug: (message, fields) => logger.debug(fields, message),
    warn: (message, fields) => logger.warn(fields, message),
    error: (message, fields) => logger.error(fields, message),
  };
}
