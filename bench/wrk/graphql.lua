-- wrk script for the benchmark: POST GraphQL request bodies prepared by bench/run.py, in turn.
--
--   wrk -t1 -c32 -d10s --latency --timeout 30s -s bench/wrk/graphql.lua \
--       http://127.0.0.1:8000/graphql -- BODIES.lua
--
-- BODIES.lua (written by the runner, one per server and page) is `return { [==[{json}]==], ... }`:
-- the page's document with its rotating variables, already in that server's dialect (our global
-- IDs, PostGraphile's integer keys), and, where the page needs a signed-in caller (ogp-wg's
-- register page), `authorization = "Bearer ..."`: sent as the Authorization header. Requests are
-- formatted once, in init(), so the client spends its time on the socket, not in Lua. Each thread
-- starts at its own offset, so with several threads a list of fresh (meeting, person) pairs is
-- still used once before it wraps.
--
-- Besides wrk's own summary, done() prints one line `WRK_JSON {...}` for the runner: requests,
-- latency percentiles (microseconds), socket errors, non-200 answers, answers carrying GraphQL
-- "errors", answers carrying non-empty "userErrors" (ogp-wg's and the floor's expected failures,
-- e.g. DUPLICATE_REGISTRATION), and how often the body list wrapped (a wrapped mutation list
-- re-sends pairs already registered).

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("thread_index", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

requests_list = {}
position = 0
sent = 0
wraps = 0
bad_status = 0
graphql_errors = 0
user_errors = 0
bodies = 0

function init(args)
   local list = dofile(args[1])
   local headers = {
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/json",
   }
   if list.authorization then -- ogp-wg's register page: a signed-in staff member's token
      headers["Authorization"] = list.authorization
   end
   for i, body in ipairs(list) do
      requests_list[i] = wrk.format("POST", wrk.path, headers, body)
   end
   bodies = #requests_list
   local index = tonumber(thread_index) or 0
   local count = tonumber(args[2]) or 1
   position = math.floor(bodies * index / count)
end

function request()
   position = position + 1
   if position > bodies then
      position = 1
      wraps = wraps + 1
   end
   sent = sent + 1
   return requests_list[position]
end

function response(status, headers, body)
   if status ~= 200 then
      bad_status = bad_status + 1
   elseif string.find(body, '"errors"', 1, true) then
      graphql_errors = graphql_errors + 1
   elseif string.find(body, '"userErrors":[{', 1, true) then
      user_errors = user_errors + 1
   end
end

function done(summary, latency, requests)
   local totals = {
      sent = 0, wraps = 0, bad_status = 0, graphql_errors = 0, user_errors = 0, bodies = 0,
   }
   for _, thread in ipairs(threads) do
      for key, _ in pairs(totals) do
         totals[key] = totals[key] + (tonumber(thread:get(key)) or 0)
      end
   end
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
      '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, ' ..
      '"timeouts": %d, "bad_status": %d, "graphql_errors": %d, "user_errors": %d, ' ..
      '"sent": %d, "wraps": %d, "bodies": %d}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      latency.mean,
      e.connect, e.read, e.write, e.status, e.timeout,
      totals.bad_status, totals.graphql_errors, totals.user_errors, totals.sent, totals.wraps,
      totals.bodies))
end
