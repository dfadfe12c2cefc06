-- wrk script for POST /api/predict: cycles through N distinct image bodies (so no cache could answer a repeat),
-- optionally with a share of malformed requests (random bytes or a truncated PNG as image/png, a text/plain body,
-- and now and then a body over 5 MB), and counts the answers by status and by what was sent.
-- Usage: wrk -t2 -c64 -d30s -s bench/load/predict.lua http://127.0.0.1:PORT -- BODIES_DIR [BAD_DIR BAD_SHARE]
local bodies, bad = {}, {}
local nbodies, nbad, every = 0, 0, 0
local counter = 0
good_sent, bad_sent = 0, 0
s200, s400, s413, s415, s429, s4xx, s5xx, sother = 0, 0, 0, 0, 0, 0, 0, 0

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads * 7919)
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local data = f:read("*a")
  f:close()
  return data
end

function init(args)
  local dir = args[1]
  for i = 0, 9999 do
    local body = read(dir .. "/" .. i .. ".png")
    if not body then break end
    nbodies = nbodies + 1
    bodies[nbodies] = body
  end
  if nbodies == 0 then error("no bodies in " .. tostring(dir)) end
  if args[2] then
    for i = 0, 999 do
      local body = read(args[2] .. "/" .. i .. ".bin")
      if not body then break end
      nbad = nbad + 1
      bad[nbad] = body
    end
    every = math.floor(1 / tonumber(args[3] or "0.1") + 0.5)
  end
  counter = offset or 0
  oversized = string.rep("x", 5 * 1024 * 1024 + 512)
end

local png = { ["Content-Type"] = "image/png" }
local text = { ["Content-Type"] = "text/plain" }

function request()
  counter = counter + 1
  if every > 0 and counter % every == 0 then
    bad_sent = bad_sent + 1
    local kind = (counter / every) % 10
    if kind == 0 then
      return wrk.format("POST", "/api/predict", png, oversized)
    elseif kind < 4 then
      return wrk.format("POST", "/api/predict", text, "five")
    end
    return wrk.format("POST", "/api/predict", png, bad[counter % nbad + 1])
  end
  good_sent = good_sent + 1
  return wrk.format("POST", "/api/predict", png, bodies[counter % nbodies + 1])
end

function response(status, headers, body)
  if status == 200 then s200 = s200 + 1
  elseif status == 400 then s400 = s400 + 1
  elseif status == 413 then s413 = s413 + 1
  elseif status == 415 then s415 = s415 + 1
  elseif status == 429 then s429 = s429 + 1
  elseif status >= 400 and status < 500 then s4xx = s4xx + 1
  elseif status >= 500 then s5xx = s5xx + 1
  else sother = sother + 1 end
end

function done(summary, latency, requests)
  local t = { good_sent = 0, bad_sent = 0, s200 = 0, s400 = 0, s413 = 0, s415 = 0, s429 = 0, s4xx = 0, s5xx = 0, sother = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(t) do t[name] = t[name] + (thread:get(name) or 0) end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "seconds": %.2f, "requests_per_s": %.1f, "p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, ' ..
    '"sent": {"good": %d, "bad": %d}, "status": {"200": %d, "400": %d, "413": %d, "415": %d, "429": %d, "other_4xx": %d, "5xx": %d, "other": %d}}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status,
    t.good_sent, t.bad_sent, t.s200, t.s400, t.s413, t.s415, t.s429, t.s4xx, t.s5xx, t.sother))
end
