/** Something that waits for a free request slot. */
export interface SlotWaiter {
  /** Called with a slot already taken on the waiter's behalf. */
  grantSlot(): void;
}

/**
 * Counts requests in progress (handler running or response still being written) against a
 * cap: the event-loop meaning of the seed's `max_threads`. One per listener, each with the
 * server-wide one as parent; a slot is taken from both. Idle keep-alive sockets hold none.
 *
 * A request that finds no free slot waits here (its connection stops reading); released
 * slots go to waiters first, in arrival order, then to the listener's accept queue.
 */
export class RequestSlots {
  readonly max: number;
  readonly #parent: RequestSlots | null;
  readonly #children: RequestSlots[] = [];
  #inFlight = 0;
  #waiters: SlotWaiter[] = [];
  #waitersHead = 0;
  /** Waiters anywhere under this root (root only). */
  #totalWaiting = 0;
  #isWaking = false;
  #wakeAgain = false;
  /** Called after waiters were served while slots are free (the accept queue admits then). */
  onFree: (() => void) | null = null;
  /** Root only: whether some accept queue holds sockets (kept by the server). */
  hasQueuedSockets = false;

  constructor(max: number, parent: RequestSlots | null = null) {
    this.max = max;
    this.#parent = parent;
    if (parent !== null) parent.#children.push(this);
  }

  /** Requests in progress. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length - this.#waitersHead;
  }

  /** Whether a request arriving now would get a slot at once. */
  get hasRoom(): boolean {
    const parent = this.#parent;
    return (
      this.#inFlight < this.max &&
      this.waiting === 0 &&
      (parent === null || (parent.#inFlight < parent.max && parent.#totalWaiting === 0))
    );
  }

  /** Takes a slot if one is free. Hot. */
  tryAcquire(): boolean {
    const parent = this.#parent;
    if (this.#inFlight >= this.max) return false;
    if (parent !== null) {
      if (parent.#inFlight >= parent.max) return false;
      parent.#inFlight++;
    }
    this.#inFlight++;
    return true;
  }

  /** Returns a slot and hands free slots to waiters. Hot. */
  release(): void {
    this.#inFlight--;
    const root = this.#parent ?? this;
    if (root !== this) root.#inFlight--;
    // The common case: nobody waits, nothing is queued.
    if (root.#totalWaiting === 0 && !root.hasQueuedSockets) return;
    root.#wake();
  }

  /** Queues a waiter; {@link SlotWaiter.grantSlot} runs when a slot is taken for it. */
  wait(waiter: SlotWaiter): void {
    this.#waiters.push(waiter);
    this.#root().#totalWaiting++;
  }

  /** Removes a waiter that went away (its connection closed). */
  cancel(waiter: SlotWaiter): void {
    const index = this.#waiters.indexOf(waiter, this.#waitersHead);
    if (index === -1) return;
    this.#waiters.splice(index, 1);
    this.#root().#totalWaiting--;
  }

  #root(): RequestSlots {
    return this.#parent ?? this;
  }

  /** Root only: serves waiters of every listener while slots are free, then the accept queues. */
  #wake(): void {
    if (this.#isWaking) {
      this.#wakeAgain = true;
      return;
    }
    this.#isWaking = true;
    try {
      do {
        this.#wakeAgain = false;
        const groups = this.#children.length === 0 ? [this as RequestSlots] : this.#children;
        if (this.#totalWaiting > 0) {
          for (const group of groups) {
            while (group.waiting > 0 && group.tryAcquire()) {
              const waiter = group.#waiters[group.#waitersHead] as SlotWaiter;
              group.#waitersHead++;
              if (group.#waitersHead === group.#waiters.length) {
                group.#waiters = [];
                group.#waitersHead = 0;
              }
              this.#totalWaiting--;
              waiter.grantSlot();
            }
          }
        }
        for (const group of groups) {
          if (group.onFree !== null && group.hasRoom) group.onFree();
        }
      } while (this.#wakeAgain);
    } finally {
      this.#isWaking = false;
    }
  }
}
