/**
 * Remembers signatures seen within the signature's validity window, so a captured signed request
 * cannot be sent again. Older signatures need no memory: the timestamp check already refuses them.
 * Per process: behind several servers, put the HubSpot routes on sticky sessions or accept that a
 * replay could land once per process within five minutes (reads are harmless; writes are idempotent).
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private nextPruneAt = 0;

  constructor(private readonly windowMs: number) {}

  /** True the first time a signature is presented within the window. */
  firstUse(signature: string, now: number): boolean {
    if (now >= this.nextPruneAt) this.prune(now);
    const expiresAt = this.seen.get(signature);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.seen.set(signature, now + this.windowMs);
    return true;
  }

  private prune(now: number): void {
    for (const [signature, expiresAt] of this.seen) if (expiresAt <= now) this.seen.delete(signature);
    this.nextPruneAt = now + 60_000;
  }
}
