/**
 * The base URLs serving one model. Requests go to the healthiest, least busy endpoint (round
 * robin among equals); one that fails `failureLimit` times in a row is set aside for
 * `cooldownMs` while others remain. A single endpoint is never set aside: it is all there is.
 */
export interface Endpoint {
  readonly url: string;
  inFlight: number;
  consecutiveFailures: number;
  /** Set aside until then (ms since epoch). */
  coolingUntil: number;
  /** Back from being set aside: one more failure sets it aside again. */
  probation: boolean;
  /** Asked by the server (Retry-After) not to be called before then. */
  notBefore: number;
  lastPicked: number;
}

export class EndpointPool {
  readonly endpoints: Endpoint[];
  private picks = 0;

  constructor(
    urls: string[],
    private readonly failureLimit: number,
    private readonly cooldownMs: number,
  ) {
    this.endpoints = urls.map((url) => ({ url, inFlight: 0, consecutiveFailures: 0, coolingUntil: 0, probation: false, notBefore: 0, lastPicked: 0 }));
  }

  /** The endpoint for the next attempt; `avoid` is skipped when another is usable. */
  pick(now = Date.now(), avoid?: Endpoint): Endpoint {
    for (const e of this.endpoints) {
      if (e.coolingUntil !== 0 && e.coolingUntil <= now) {
        // The cool-down is over: give it traffic again, on probation.
        e.coolingUntil = 0;
        e.consecutiveFailures = 0;
      }
    }
    let usable = this.endpoints.filter((e) => e.coolingUntil <= now);
    if (usable.length === 0) {
      // Everything is set aside: try the one that comes back first rather than fail outright.
      usable = [...this.endpoints].sort((a, b) => a.coolingUntil - b.coolingUntil).slice(0, 1);
    }
    if (avoid && usable.length > 1) usable = usable.filter((e) => e !== avoid);
    const best = usable.reduce((a, b) => (better(b, a, now) ? b : a));
    best.lastPicked = ++this.picks;
    return best;
  }

  succeeded(e: Endpoint): void {
    e.consecutiveFailures = 0;
    e.coolingUntil = 0;
    e.probation = false;
  }

  failed(e: Endpoint, now = Date.now(), retryAfterMs?: number): void {
    e.consecutiveFailures++;
    if (retryAfterMs !== undefined) e.notBefore = now + retryAfterMs;
    if (this.endpoints.length > 1 && (e.probation || e.consecutiveFailures >= this.failureLimit)) {
      e.coolingUntil = now + this.cooldownMs;
      e.probation = true;
    }
  }
}

// In order: fewest recent failures, not asked to wait, least busy, least recently picked.
function better(a: Endpoint, b: Endpoint, now: number): boolean {
  if (a.consecutiveFailures !== b.consecutiveFailures) return a.consecutiveFailures < b.consecutiveFailures;
  const aWaits = a.notBefore > now;
  const bWaits = b.notBefore > now;
  if (aWaits !== bWaits) return bWaits;
  if (a.inFlight !== b.inFlight) return a.inFlight < b.inFlight;
  return a.lastPicked < b.lastPicked;
}
