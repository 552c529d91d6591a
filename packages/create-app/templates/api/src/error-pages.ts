import { Controller, Ctx, ErrorHandler, HttpError, MIME_TYPE, type RequestContext } from 'bbwebservice';

/**
 * JSON error pages for everything under /api: an unknown path and a failed handler answer
 * `{ "error", "status" }` like the HttpErrors the routes throw, never an HTML or text page.
 */
@Controller('::/api')
export class ApiErrorPages {
  @ErrorHandler(404, { type: MIME_TYPE.JSON })
  notFound(@Ctx() ctx: RequestContext) {
    const error = ctx.error;
    return error instanceof HttpError
      ? { error: error.message, status: 404, details: error.details }
      : { error: `no route for ${ctx.method} ${ctx.path}`, status: 404 };
  }

  @ErrorHandler(500, { type: MIME_TYPE.JSON })
  internal() {
    // The error itself is logged by the app; its message stays off the wire.
    return { error: 'internal error', status: 500 };
  }
}
