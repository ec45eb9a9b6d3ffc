-- wrk script: POSTs a JSON body to the URL with the API token in $TOKEN.
-- $WRITE selects the body: "hobby" (a new hobby), "event" (a weekly event with ten
-- copies on a random hobby of the comma-separated $HOBBY_IDS) or "benefit"
-- (a redemption of promotion $PROMOTION). Counts non-2xx answers so the run can fail on them.
local kind = os.getenv("WRITE")
local token = os.getenv("TOKEN")
local hobbies = {}
for id in string.gmatch(os.getenv("HOBBY_IDS") or "", "%d+") do
  hobbies[#hobbies + 1] = id
end
local location = os.getenv("LOCATION") or "null"
local organizer = os.getenv("ORGANIZER") or "null"
local promotion = os.getenv("PROMOTION") or "0"
local counter = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Token " .. token

request = function()
  counter = counter + 1
  local body
  if kind == "hobby" then
    body = string.format(
      '{"name":"Penkkiharrastus %d","description":"Kirjoituskuorman luoma harrastus","location":%s,"organizer":%s,"price_type":"free"}',
      counter, location, organizer)
  elseif kind == "event" then
    local hobby = hobbies[math.random(1, #hobbies)]
    body = string.format(
      '{"hobby":%s,"start_date":"2030-01-07","end_date":"2030-01-07","start_time":"17:00","end_time":"18:30","is_recurrent":true,"recurrency_count":10}',
      hobby)
  else
    body = string.format('{"promotion":%s}', promotion)
  end
  return wrk.format(nil, nil, nil, body)
end

-- Show the first few failures so a non-2xx count can be explained.
local failures = 0
response = function(status, headers, body)
  if status >= 300 and failures < 3 then
    failures = failures + 1
    io.stderr:write(string.format("HTTP %d: %s\n", status, body))
  end
end
