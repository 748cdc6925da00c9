-- POST /api/updates as the Capgo plugin sends it, with a different device id on every request
-- (so nothing can be cached per device) and a mix of up-to-date and offered answers.
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
  table.insert(threads, thread)
end

local counter = 0
local versions = { "builtin", "1.0.0", "1.0.1", "1.1.0" }

function request()
  counter = counter + 1
  local id = string.format("0c0ffee0-%04d-4000-8000-%012d", tid or 0, counter)
  local version = versions[(counter % #versions) + 1]
  local body = '{"app_id":"com.demo.app","device_id":"' .. id .. '","platform":"android",' ..
    '"version_name":"' .. version .. '","version_build":"1.0.0","version_code":"1","version_os":"14",' ..
    '"plugin_version":"8.3.1","is_emulator":false,"is_prod":true,"custom_id":""}'
  return wrk.format("POST", "/api/updates", { ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx/socket errors: %d/%d\n",
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
