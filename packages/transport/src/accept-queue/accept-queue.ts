/**
 * Newly accepted sockets that wait while their listener is saturated (the seed's connection
 * queue). Bounded: a full queue refuses (the caller answers 503). FIFO, so expiry checks only
 * look at the front.
 */
export class AcceptQueue<T> {
  readonly capacity: number;
  readonly timeoutMs: number;
  #items: Array<{ readonly item: T; readonly deadline: number }> = [];
  #head = 0;

  constructor(capacity: number, timeoutMs: number) {
    this.capacity = capacity;
    this.timeoutMs = timeoutMs;
  }

  /** Sockets waiting. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Adds an item; false when the queue is full. */
  push(item: T, now: number): boolean {
    if (this.size >= this.capacity) return false;
    this.#items.push({
      item,
      deadline: this.timeoutMs > 0 ? now + this.timeoutMs : Number.POSITIVE_INFINITY,
    });
    return true;
  }

  /** The oldest item, removed; `undefined` when empty. */
  shift(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const entry = this.#items[this.#head++];
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    }
    return entry?.item;
  }

  /** Removes and returns the items that waited past their deadline. */
  expire(now: number): T[] {
    const expired: T[] = [];
    while (this.#head < this.#items.length) {
      const entry = this.#items[this.#head] as { readonly item: T; readonly deadline: number };
      if (entry.deadline > now) break;
      expired.push(entry.item);
      this.#head++;
    }
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    }
    return expired;
  }

  /** Removes one item (its socket closed while waiting); false when it was not queued. */
  remove(item: T): boolean {
    for (let i = this.#head; i < this.#items.length; i++) {
      if (this.#items[i]?.item === item) {
        this.#items.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  /** Removes and returns every item. */
  drain(): T[] {
    const items = this.#items.slice(this.#head).map((e) => e.item);
    this.#items = [];
    this.#head = 0;
    return items;
  }
}
