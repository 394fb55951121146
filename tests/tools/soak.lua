-- soak.lua - the mixed load of `make soak` (scripts/soak.sh) for wrk.
--
-- Environment: SOAK_TOKEN (an admin API token), SOAK_COOKIE (the Cookie
-- header of a logged-in psirt session). Each request is drawn at random:
--   35 % GET /api/v1/findings?limit=50     (the findings queue, API)
--   15 % GET /ui/findings                  (the queue page)
--   10 % GET /ui/                          (the home page)
--   10 % GET /api/v1/products
--   10 % GET /.well-known/security.txt
--    5 % GET /api/v1/health
--    8 % POST an SBOM (CycloneDX 1.6, a component of its own)
--    7 % POST /api/v1/reports               (a CVD report on the demo product acme-gateway)
-- Responses are counted by class; 429 is deliberate (a rate limit: the
-- reports per address), every other status >= 400 is an error. done() prints one
-- line "soak-counts ok=N deliberate=N errors=N statuses=..." for soak.sh.

local token = os.getenv("SOAK_TOKEN") or ""
local cookie = os.getenv("SOAK_COOKIE") or ""
local threads = {}
local n = 0

function setup(thread)
	thread:set("id", #threads)
	table.insert(threads, thread)
end

function init(args)
	ok, deliberate, errors = 0, 0, 0
	statuses = {}
	math.randomseed(os.time() + id * 7919)
end

local auth = { ["Authorization"] = "Bearer " .. token }

function request()
	n = n + 1
	local r = math.random(100)
	if r <= 35 then
		return wrk.format("GET", "/api/v1/findings?limit=50", auth)
	elseif r <= 50 then
		return wrk.format("GET", "/ui/findings", { ["Cookie"] = cookie })
	elseif r <= 60 then
		return wrk.format("GET", "/ui/", { ["Cookie"] = cookie })
	elseif r <= 70 then
		return wrk.format("GET", "/api/v1/products", auth)
	elseif r <= 80 then
		return wrk.format("GET", "/.well-known/security.txt")
	elseif r <= 85 then
		return wrk.format("GET", "/api/v1/health")
	elseif r <= 93 then
		local v = math.random(20)
		local body = string.format(
			'{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[' ..
			'{"type":"library","name":"soak-%d-%d","version":"1.%d","purl":"pkg:pypi/soak-%d-%d@1.%d"},' ..
			'{"type":"library","name":"zlib","version":"1.2.13","purl":"pkg:generic/zlib@1.2.13"}]}',
			id, n, n, id, n, n)
		local h = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
		return wrk.format("POST", "/api/v1/products/soak/versions/1." .. v .. "/sboms", h, body)
	else
		local body = string.format(
			'{"product":"acme-gateway","title":"soak report %d-%d","description":"A report sent by the soak test, number %d."}',
			id, n, n)
		return wrk.format("POST", "/api/v1/reports", { ["Content-Type"] = "application/json" }, body)
	end
end

function response(status, headers, body)
	statuses[status] = (statuses[status] or 0) + 1
	if status < 400 then
		ok = ok + 1
	elseif status == 429 then
		deliberate = deliberate + 1
	else
		errors = errors + 1
	end
end

function done(summary, latency, requests)
	local o, d, e = 0, 0, 0
	local all = {}
	for _, t in ipairs(threads) do
		o = o + t:get("ok")
		d = d + t:get("deliberate")
		e = e + t:get("errors")
		local st = t:get("statuses")
		for k, v in pairs(st) do all[k] = (all[k] or 0) + v end
	end
	local parts = {}
	for k, v in pairs(all) do table.insert(parts, k .. ":" .. v) end
	table.sort(parts)
	io.write(string.format("soak-counts ok=%d deliberate=%d errors=%d statuses=%s\n", o, d, e,
		table.concat(parts, ",")))
	io.write(string.format("soak-latency p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
		latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
	io.write(string.format("soak-rate requests=%d seconds=%.1f rps=%.0f socket_errors=%d\n",
		summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
		summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
