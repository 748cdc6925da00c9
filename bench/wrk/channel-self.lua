-- POST /api/channel_self as the Capgo plugin sends it: every request a device that has never joined before asks to
-- join the self-assignable "beta" channel (a push campaign's storm). Each is one guarded row create + a shared log commit.
local thread_id = 0

function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end

local counter = 0
local run = os.time()

function request()
  counter = counter + 1
  local id = string.format("5e1f0000-%04d-4000-8000-%06d%06d", tid or 0, run % 1000000, counter)
  local body = '{"app_id":"com.demo.app","device_id":"' .. id .. '","platform":"android",' ..
    '"version_name":"1.0.0","version_build":"1.0.0","version_code":"1","version_os":"14",' ..
    '"plugin_version":"8.3.1","is_emulator":false,"is_prod":true,"custom_id":"","channel":"beta"}'
  return wrk.format("POST", "/api/channel_self", { ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx/socket errors: %d/%d\n",
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
