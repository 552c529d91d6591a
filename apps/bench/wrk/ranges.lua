-- 64 KiB ranges of the 16 MiB file.bin, walked in turn (bytes=0-65535, bytes=65536-131071, ...).
local i = 0
local ranges = 256
local size = 65536
request = function()
  local first = (i % ranges) * size
  i = i + 1
  return wrk.format("GET", "/file.bin", { ["Range"] = "bytes=" .. first .. "-" .. (first + size - 1) })
end
