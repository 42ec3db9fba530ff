-- PUT /api/v1/inspections/<new uuid> with the same body each time: every request is a new
-- inspection (9 answers, 1 of them failed, so 1 finding). BODY and TOKEN come from the
-- environment (bench/run.py sets them).
local body = os.getenv("BENCH_BODY")
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_number or 0) * 7919 + math.floor(os.clock() * 1e6))
end

local function uuid4()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (template:gsub("[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  return wrk.format("PUT", "/api/v1/inspections/" .. uuid4(), headers, body)
end
