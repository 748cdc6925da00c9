-- The same request shape against LocalHost's empty endpoint: the ceiling of Kestrel + routing on this machine.
local body = '{"app_id":"com.demo.app","device_id":"0c0ffee0-0000-4000-8000-000000000001","platform":"android",' ..
  '"version_name":"1.0.0","version_build":"1.0.0","is_emulator":false,"is_prod":true}'

function request()
  return wrk.format("POST", "/_bench/empty", { ["Content-Type"] = "application/json" }, body)
end
