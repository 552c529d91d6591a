-- Browser-like heads (~650 bytes): a query and a cookie that change on every request, and the
-- header lines a desktop browser sends, so no head and no changing value repeats.
counter = 0
request = function()
  counter = counter + 1
  local n = counter * 7919
  local path = "/hello?q=search+term+" .. counter .. "&page=" .. (counter % 50) .. "&sort=relevance"
  local headers = {
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    ["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    ["Accept-Language"] = "en-US,en;q=0.9,de;q=0.7",
    ["Accept-Encoding"] = "gzip, deflate, br",
    ["Referer"] = "http://127.0.0.1/search",
    ["Cookie"] = "session=s" .. n .. "a8f3c2d1e0b9; theme=dark; _ga=GA1.1." .. n .. ".1732900000; consent=1",
    ["Sec-Fetch-Dest"] = "document",
    ["Sec-Fetch-Mode"] = "navigate",
    ["Sec-Fetch-Site"] = "same-origin",
    ["Upgrade-Insecure-Requests"] = "1",
    ["Cache-Control"] = "max-age=0",
  }
  return wrk.format("GET", path, headers)
end
