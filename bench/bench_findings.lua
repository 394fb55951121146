-- bench_findings.lua - wrk script of bench/bench_findings.sh: GET requests
-- over the paths of a file (one a line, taken in turn by each connection),
-- with one extra header ("Authorization: Bearer ..." or "Cookie: ...").
-- wrk counts answers other than 2xx/3xx ("Non-2xx or 3xx responses"): the
-- bench refuses a run that has any.
-- Usage: wrk ... -s bench_findings.lua URL -- PATHS_FILE "Header: value"
local paths = {}
local header_name, header_value
local n = 0

function init(args)
	local f = assert(io.open(args[1], "r"), "cannot read the paths file " .. tostring(args[1]))
	for line in f:lines() do
		if line ~= "" then
			paths[#paths + 1] = line
		end
	end
	f:close()
	assert(#paths > 0, "no paths in " .. args[1])
	header_name, header_value = string.match(args[2] or "", "^([^:]+):%s*(.*)$")
	assert(header_name, "expected a header 'Name: value' as the second argument")
	n = math.random(#paths) - 1
end

function request()
	n = n % #paths + 1
	local h = {}
	h[header_name] = header_value
	return wrk.format("GET", paths[n], h)
end
