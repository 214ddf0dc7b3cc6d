-- wrk script for the HTTP load test of issue 4 (scripts/bench-http.sh with LOADGEN=wrk):
-- single-name POST /match/default queries in the same mix as the Rust load generator
-- (crates/sekisho-server/examples/loadgen.rs): 20 % names on the lists in service, 80 %
-- clean names (a quarter of them companies), each connection cycling through requests
-- built before the run, so that wrk spends no time formatting during it.
--
--   SEKISHO_API_KEY=KEY wrk -t1 -c64 -d60s --latency -s scripts/http-wrk.lua http://127.0.0.1:PORT

local listed = {
  {"Person", "Kim Jong Un"},
  {"Person", "キム・ジョンウン"},
  {"Person", "KUSIUK, Sergey"},
  {"Person", "Sergey Kusiuk"},
  {"Person", "Alejandro Chacon Miranda"},
  {"Person", "Issa Osman Issa"},
  {"Person", "Alonso Zuleta Noscue"},
  {"Person", "Mohamad Zouheir El Khansa"},
  {"Person", "Jesus David Botello Ortiz"},
  {"Person", "Frederik Heinz Barth"},
  {"Organization", "ARTTRONIX INTERNATIONAL HK LIMITED"},
  {"Organization", "Sangsiri Kankaset Co., Ltd."},
  {"Organization", "UNIREFRICLIMA S.A."},
  {"Organization", "Pars Sarralle Company"},
  {"Organization", "株式会社アルマズ・アンティ・コンツェルン北西部地域センター・オブホフスキー工場"},
  {"Organization", "LLC Vector"},
}
local given = {"Hanako", "Taro", "Emily", "Lukas", "Sofia", "Mateo", "Yuki", "Priya", "Olivia", "Noah", "花子", "ミナ"}
local family = {"Suzuki", "Whitfield", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Fernandes", "Kowalczyk", "Brennan",
                "山本", "ワタナベ", "Haddad"}
local company = {"Maple", "Harbor", "Sakura", "Northwind", "Bluebell", "Kestrel", "Tsubame", "Granite"}
local company_kind = {"Trading Co., Ltd.", "Logistics GmbH", "株式会社", "Foods Inc."}

-- Requests built per thread before the run (the Rust generator builds 512 per connection;
-- here one list per thread, which its connections share in turn).
local prepared = 4096

local function pick(items)
  return items[math.random(#items)]
end

local requests = {}
local next_request = 1

function init(args)
  -- Each thread draws its own sequence (wrk runs one Lua state per thread).
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  local key = os.getenv("SEKISHO_API_KEY")
  local headers = {["Content-Type"] = "application/json"}
  if key and key ~= "" then
    headers["Authorization"] = "ApiKey " .. key
  end
  for i = 1, prepared do
    local schema, name
    if math.random() < 0.2 then
      local entry = pick(listed)
      schema, name = entry[1], entry[2]
    elseif math.random(4) == 1 then
      schema, name = "Organization", pick(company) .. " " .. pick(company_kind)
    else
      schema, name = "Person", pick(given) .. " " .. pick(family)
    end
    -- No name above holds a quote or a backslash, so it goes into the JSON as it is.
    local body = '{"queries":{"q":{"schema":"' .. schema .. '","properties":{"name":["' .. name .. '"]}}}}'
    requests[i] = wrk.format("POST", "/match/default", headers, body)
  end
end

function request()
  local r = requests[next_request]
  next_request = next_request % prepared + 1
  return r
end

function done(summary, latency, requests_done)
  local ms = function(us) return string.format("%.2f ms", us / 1000) end
  io.write("wrk summary: ", summary.requests, " requests, ",
           summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
           " socket errors, ", summary.errors.status, " non-2xx\n")
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("latency p%-5s %s\n", p, ms(latency:percentile(p))))
  end
  io.write("latency max    ", ms(latency.max), "\n")
end
