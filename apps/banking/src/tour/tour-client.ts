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
  request<T = Record<string, unknown>>(method: "GET" | "POST", path: string, options?: { body?: unknown; headers?: Record<string, string>; expect?: number }): Promise<TourResponse<T>>;
}

const shorten = (value: unknown, max = 400): string => {
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

/** Creates a client for `baseUrl` that prints through `print`. */
export function createTourClient(baseUrl: string, print: (line: string) => void): TourClient {
  return {
    async request<T>(method: "GET" | "POST", path: string, options: { body?: unknown; headers?: Record<string, string>; expect?: number } = {}) {
      const response = await fetch(new URL(path, baseUrl), {
        method,
        headers: { ...(options.body === undefined ? {} : { "content-type": "application/json" }), ...options.headers },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const text = await response.text();
      const body = (text === "" ? {} : JSON.parse(text)) as T;
      print(`    ${method} ${path} → ${response.status} ${shorten(body)}`);
      if (options.expect !== undefined && response.status !== options.expect) {
        throw new TourStepError(`${method} ${path} answered ${response.status}, the tour expected ${options.expect}.`);
      }
      return { status: response.status, body, headers: response.headers };
    },
  };
}
