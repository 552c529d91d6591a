/** Status codes a {@link Redirect} may carry. */
export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/** A redirect to `location`; 303 See Other unless told otherwise. */
export class Redirect {
  constructor(
    readonly location: string,
    readonly status: RedirectStatus = 303,
  ) {}
}
