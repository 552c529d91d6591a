-- Every request differs: a new query value and a new request-id header, so no head repeats.
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/hello?n=" .. counter, { ["X-Request-Id"] = tostring(counter * 7919) })
end
