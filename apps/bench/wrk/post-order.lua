-- POST /orders with the 1 KiB JSON order; the suite sets ORDER_BODY from common.ts's sampleOrder().
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("ORDER_BODY")
