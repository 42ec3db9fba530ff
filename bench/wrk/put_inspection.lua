-- PUT /api/v1/inspections/<new uuid>: every request is a new inspection (9 answers, 1 of them
-- failed, so 1 finding) of one of the submission sites, drawn at random. BODY (with __SITE__
-- where the site's id goes), SITES (comma-separated ids) and TOKEN come from the environment
-- (bench/run.py sets them).
local before, after = os.getenv("BENCH_BODY"):match("^(.-)__SITE__(.*)$")
local sites = {}
for site in string.gmatch(os.getenv("BENCH_SUBMISSION_SITES"), "[^,]+") do
  sites[#sites + 1] = site
end
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
  local body = before .. sites[math.random(1, #sites)] .. after
  return wrk.format("PUT", "/api/v1/inspections/" .. uuid4(), headers, body)
end
