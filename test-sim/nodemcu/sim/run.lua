-- Runs a NodeMCU board image on the simulated NodeMCU (nodemcu.lua), as a board's init.lua would:
--
--   lua5.3 test-sim/nodemcu/sim/run.lua IMAGE FLASH_DIR SETUP_CODE [PORT [WINDOW_MS]]
--
-- loads IMAGE (dist/firstlight-board-nodemcu-esp8266.lua), calls firstlight.nodemcu.boot{…} and
-- runs the event loop. FLASH_DIR is the SPIFFS partition (the area file firstlight.nor lives
-- there), so a second run boots from what the first left. Commands on stdin, one per line:
--   press MS     the button (board pin, active low) held MS ms, released on the device's timeline
--   status       prints "status state=… paired=… entropy=… failed=…" (or the start problem)
--   mem          prints "mem peak=KB now=KB" (collectgarbage("count"), sampled every 1000 VM instructions)
--   mem reset    collects garbage and starts a new peak from now: "mem reset now=KB image=KB"
--                (image: what loading the image added, measured at boot after a full collection)
--   led          prints "led on|off"
--   census       after a full collection, what is reachable: "census closures=… tables=… slots=…
--                arrays=… elements=… strings=… stringBytes=…" (arrays: the runtime's typed arrays)
-- Environment: FL_GC_PAUSE=N sets collectgarbage("setpause", N); FL_NARROW=1 the runtime's
-- 32-bit-integer path (docs/engines.md, The Lua contract).
-- The image sees NodeMCU's globals: the modules above, `bit` on Lua 5.1, and no io, os or debug.
-- node.restart() (the device's own reboot, after a decommission) restarts the image in place.
-- The button is pin 3 and the LED pin 4 (boards/nodemcu-esp8266.json).
local here = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. package.path
local sim = require("nodemcu")
local socket = require("socket")
local io, os, debug = io, os, debug   -- sim.install removes them from the image's globals

local image, flashDir, code = arg[1], arg[2], arg[3]
local port, windowMs = tonumber(arg[4] or "5555"), tonumber(arg[5] or "0")
if not (image and flashDir and code) then
  io.stderr:write("usage: run.lua IMAGE FLASH_DIR SETUP_CODE [PORT [WINDOW_MS]]\n")
  os.exit(2)
end
io.stdout:setvbuf("line")
local BUTTON, LED = 3, 4

-- The memory figure: the highest collectgarbage("count") seen.
local peak = 0
imageKb = 0
local function sample()
  local kb = collectgarbage("count")
  if kb > peak then peak = kb end
end
debug.sethook(sample, "", 1000)
-- FL_GC_PAUSE=100 starts each collection cycle as soon as the last one ends (Lua's default is 200:
-- wait until memory doubles), so the peak comes close to what is live, as on a board whose
-- allocator collects when memory runs short (NodeMCU's node.egc).
-- FL_NARROW=1: the runtime's path for a Lua 5.3 with 32-bit integers (NodeMCU's LUA=53 build).
if os.getenv("FL_NARROW") then FL_NARROW = true end
if os.getenv("FL_GC_PAUSE") then collectgarbage("setpause", tonumber(os.getenv("FL_GC_PAUSE"))) end

sim.install(flashDir)
local function boot()
  sim.reset()
  firstlight = nil
  collectgarbage("collect")
  local before = collectgarbage("count")
  dofile(image)
  collectgarbage("collect")
  -- What the loaded image itself holds (function prototypes, constants): on a board built with
  -- LFS these stay in flash.
  imageKb = collectgarbage("count") - before
  local o = { setupCode = code, port = port }
  if windowMs > 0 then o.windowMs = windowMs end
  firstlight.nodemcu.boot(o)
end

-- What is reachable from the globals and the registry: closures, tables (and their slots), the
-- runtime's typed arrays (a numeric `length` and an element at 0) with their elements, strings.
function census()
  local seen = {}
  local n = { closures = 0, tables = 0, slots = 0, arrays = 0, elements = 0, strings = 0, stringBytes = 0 }
  local stack = { _G, debug.getregistry() }
  while #stack > 0 do
    local v = table.remove(stack)
    local t = type(v)
    if (t == "table" or t == "function" or t == "string") and not seen[v] then
      seen[v] = true
      if t == "string" then
        n.strings = n.strings + 1; n.stringBytes = n.stringBytes + #v
      elseif t == "function" then
        n.closures = n.closures + 1
        local i = 1
        while true do
          local name, up = debug.getupvalue(v, i)
          if name == nil then break end
          stack[#stack + 1] = up; i = i + 1
        end
      else
        n.tables = n.tables + 1
        if type(rawget(v, "length")) == "number" and rawget(v, 0) ~= nil then
          n.arrays = n.arrays + 1; n.elements = n.elements + v.length
        end
        for k, x in pairs(v) do n.slots = n.slots + 1; stack[#stack + 1] = k; stack[#stack + 1] = x end
        local mt = getmetatable(v)
        if mt then stack[#stack + 1] = mt end
      end
    end
  end
  return string.format("census closures=%d tables=%d slots=%d arrays=%d elements=%d strings=%d stringBytes=%d",
    n.closures, n.tables, n.slots, n.arrays, n.elements, n.strings, n.stringBytes)
end

local stdin = { getfd = function() return 0 end, dirty = function() return false end }
local stdinOpen = true

local function command(line)
  local api = firstlight and firstlight.board
  local ms = line:match("^press (%d+)$")
  if ms then
    sim.setPin(BUTTON, 0)
    local t = sim.tmr.create()
    t:alarm(tonumber(ms), sim.tmr.ALARM_SINGLE, function() sim.setPin(BUTTON, 1) end)
    print("pressed " .. ms)
  elseif line == "status" then
    if api == nil then print("status state=none")
    elseif api.problem ~= nil then print("status problem=" .. tostring(api.problem))
    else
      local s = api:status()
      if s == nil then print("status state=first-boot paired=false entropy=gathering failed=0")
      else print(string.format("status state=%s paired=%s entropy=%s failed=%d", s.state, tostring(s.paired), s.entropy.state, s.failedAttempts)) end
    end
  elseif line == "mem" then
    sample()
    print(string.format("mem peak=%.1f now=%.1f", peak, collectgarbage("count")))
  elseif line == "mem reset" then
    collectgarbage("collect")
    peak = collectgarbage("count")
    print(string.format("mem reset now=%.1f image=%.1f", peak, imageKb))
  elseif line == "census" then
    collectgarbage("collect")
    print(census())
  elseif line == "led" then
    print("led " .. (sim.pinLevel(LED) == 0 and "on" or "off"))
  elseif line ~= "" then
    print("unknown command: " .. line)
  end
end

local function onStdin()
  local line = io.read("*l")
  if line == nil then stdinOpen = false; return end
  command(line)
end

print("nodemcu-sim: " .. _VERSION .. ", flash " .. flashDir .. ", tcp://127.0.0.1:" .. port)
boot()
while true do
  local extra = stdinOpen and { stdin } or {}
  if not sim.turn(extra, onStdin) then
    print("nodemcu-sim: node.restart()")
    boot()
  end
end
