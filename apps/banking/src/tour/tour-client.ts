/**
 * A small HTTP client for the tour: sends JSON, prints each exchange, and checks the status the
 * step expects (a surprise stops the tour with a message naming the request).
 *
 * @module
 */

/** One response as the tour sees it. */
export interface TourResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** Raised when the app answers a step differently than the tour expects. */
export class TourStepError extends Error {
  readonly code = "TOUR_STEP_FAILED";
}

/** Sends requests to the app under tour. */
export interface TourClient {
  /** Sends one request; `quiet` names response fields printed as "…" (tokens). */
  request<T = Record<string, unknown>>(method: "GET" | "POST", path: string, options?: TourRequestOptions): Promise<TourResponse<T>>;
}

/** Options of one tour request. */
export interface TourRequestOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly expect?: number;
  readonly quiet?: readonly string[];
  /** Sent as is (with its own content-type header), instead of JSON. */
  readonly rawBody?: string;
}

const shorten = (value: unknown, max = 400): string => {
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

/** Creates a client for `baseUrl` that prints through `print`. */
export function createTourClient(baseUrl: string, print: (line: string) => void): TourClient {
  return {
    async request<T>(method: "GET" | "POST", path: string, options: TourRequestOptions = {}) {
      // Every POST is JSON (the app refuses anything else), with or without a body.
      const response = await fetch(new URL(path, baseUrl), {
        method,
        headers: { ...(method === "POST" ? { "content-type": "application/json" } : {}), ...options.headers },
        ...(options.rawBody !== undefined ? { body: options.rawBody } : options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const text = await response.text();
      const body = (text === "" ? {} : JSON.parse(text)) as T;
      const shown = options.quiet === undefined ? body : Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([key, value]) => [key, options.quiet?.includes(key) === true ? "…" : value]));
      print(`    ${method} ${path} → ${response.status} ${shorten(shown)}`);
      if (options.expect !== undefined && response.status !== options.expect) {
        throw new TourStepError(`${method} ${path} answered ${response.status}, the tour expected ${options.expect}.`);
      }
      return { status: response.status, body, headers: response.headers };
    },
  };
}
