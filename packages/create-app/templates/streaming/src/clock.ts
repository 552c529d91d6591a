import { singleton } from 'bbwebservice';

/** The tick source of the event stream; tests replace it with a faster one. */
@singleton()
export class Clock {
  readonly intervalMs: number = 1000;

  now(): Date {
    return new Date();
  }
}
