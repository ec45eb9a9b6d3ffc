-- wrk script: each request gets a query parameter of its own (`_n=<counter>`) that the API
-- ignores, so that no answer can come from a cache.
local counter = 0
local thread_id = 0

setup = function(thread)
  thread_id = thread_id + 1
  thread:set("prefix", tostring(thread_id))
end

request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "&_n=" .. prefix .. "-" .. counter)
end
