-- A simulated NodeMCU: the modules node, file, gpio, tmr, net and wifi as the firmware documents
-- them (nodemcu.readthedocs.io), on Debian's lua5.1 / lua5.3 with LuaSocket (Debian lua-socket)
-- for TCP and a select loop for timers. Only what firstlight's drivers (hal/nodemcu) and init
-- code call is here. Differences from a board, on purpose: `file` is a directory of host files
-- (SPIFFS's wear levelling and 31-character names are not modelled), node.random reads
-- /dev/urandom, and node.restart() restarts the image inside the same process.
local socket = require("socket")
-- Kept here: the image runs with io, os and debug removed from the globals (NodeMCU has no io
-- and os libraries, and builds may leave debug out), so the simulator holds its own references.
local io, os = io, os

local M = {}

local t0 = socket.gettime()
local function micros() return math.floor((socket.gettime() - t0) * 1e6) end

-- Timers ------------------------------------------------------------------------------------
local timers = {}        -- armed timer objects
local function arm(t) t.due = socket.gettime() + t.interval / 1000; timers[t] = true end

local tmr = { ALARM_SINGLE = 0, ALARM_AUTO = 1, ALARM_SEMI = 2 }
function tmr.now() return micros() % 2147483648 end
function tmr.create()
  local t = {}
  function t:alarm(ms, mode, cb)
    assert(type(ms) == "number" and ms >= 1 and ms <= 6870947, "tmr: interval out of range: " .. tostring(ms))
    self.interval, self.mode, self.cb = ms, mode, cb
    arm(self)
    return true
  end
  function t:unregister() timers[self] = nil; self.cb = nil end
  function t:stop() local was = timers[self] ~= nil; timers[self] = nil; return was end
  function t:start() if self.cb then arm(self) end return true end
  return t
end

-- Files: one host directory is the SPIFFS partition ----------------------------------------
local dir = "."
local file = {}
local function path(name)
  assert(type(name) == "string" and name ~= "" and not name:find("/"), "file: bad name " .. tostring(name))
  return dir .. "/" .. name
end
function file.open(name, mode)
  local fh = io.open(path(name), (mode or "r") .. "b")
  if not fh then return nil end
  local f = {}
  function f:seek(whence, off) return fh:seek(whence or "cur", off or 0) end
  function f:read(n)
    local s = fh:read(n or 1024)
    if s == nil or #s == 0 then return nil end
    return s
  end
  function f:write(s) if fh:write(s) then return true end return nil end
  function f:flush() fh:flush() end
  function f:close() fh:close() end
  return f
end
function file.exists(name) local fh = io.open(path(name), "rb") if fh then fh:close() return true end return false end
function file.remove(name) os.remove(path(name)) end
function file.rename(from, to)
  if file.exists(to) then return false end
  return os.rename(path(from), path(to)) == true
end
function file.list()
  local out = {}
  local p = io.popen('ls -1 "' .. dir .. '"')
  for name in p:lines() do
    local fh = io.open(path(name), "rb")
    if fh then out[name] = fh:seek("end"); fh:close() end
  end
  p:close()
  return out
end

-- GPIO ----------------------------------------------------------------------------------------
local gpio = { OUTPUT = 1, INPUT = 0, INT = 2, OPENDRAIN = 3, PULLUP = 1, FLOAT = 0, HIGH = 1, LOW = 0 }
local pins = {}
local function pin(p)
  assert(type(p) == "number" and p >= 0 and p <= 12, "gpio: bad pin " .. tostring(p))
  pins[p] = pins[p] or { level = 1, mode = 0 }
  return pins[p]
end
function gpio.mode(p, mode, pull)
  local s = pin(p)
  s.mode = mode
  if pull == gpio.PULLUP then s.level = 1 end
end
function gpio.write(p, level) pin(p).level = level end
function gpio.read(p) return pin(p).level end
function gpio.trig(p, kind, cb)
  local s = pin(p)
  assert(s.mode == gpio.INT or kind == "none", "gpio.trig: pin " .. p .. " is not in gpio.INT mode")
  s.trig, s.cb = kind, cb
end
-- An edge from the outside world (the test's button).
function M.setPin(p, level)
  local s = pin(p)
  if s.level == level then return end
  s.level = level
  local k = s.trig
  if s.cb and (k == "both" or (k == "down" and level == 0) or (k == "up" and level == 1)) then
    s.cb(level, tmr.now())
  end
end
function M.pinLevel(p) return pin(p).level end

-- node, wifi ------------------------------------------------------------------------------
local urandom = assert(io.open("/dev/urandom", "rb"))
local function word()
  local a, b, c, d = urandom:read(4):byte(1, 4)
  return ((a * 256 + b) * 256 + c) * 256 + d
end
local node = {}
-- node.random(l, u) as app/modules/node.c computes it: one 32-bit word per try, rejection sampling.
function node.random(l, u)
  if l == nil then return word() / 4294967296 end
  if u == nil then l, u = 1, l end
  assert(l <= u, "interval is empty")
  local range = u + 1 - l
  if range == 1 then return l end
  local limit = (math.floor(2147483648 / math.floor((range + 1) / 2)) - 1) * range
  local v = word()
  while v >= limit do v = word() end
  return v % range + l
end
local restartWanted = false
function node.restart() restartWanted = true end
function node.heap() return 40960 end
local wifi = { NULLMODE = 0, STATION = 1, SOFTAP = 2, STATIONAP = 3, mode = 1 }
function wifi.getmode() return wifi.mode end
function wifi.setmode(m) wifi.mode = m; return m end

-- net: TCP servers and their connections over LuaSocket -----------------------------------------
local net = { TCP = 1, UDP = 2 }
local servers, conns = {}, {}
local pending = {}   -- callbacks to run on the next loop turn (NodeMCU's "sent" is asynchronous)
local function later(fn) pending[#pending + 1] = fn end

local function newConn(sock, timeout)
  local c = { sock = sock, cbs = {}, out = "", timeout = timeout, last = socket.gettime(), open = true }
  function c:on(event, cb) self.cbs[event] = cb end
  function c:send(s)
    assert(self.out == "", "net: send before the last one was sent")
    self.out = s
  end
  function c:close()
    if not self.open then return end
    self.open = false
    self.sock:close()
    conns[self] = nil
  end
  conns[c] = true
  return c
end
local function dropped(c)
  if not c.open then return end
  c:close()
  if c.cbs.disconnection then c.cbs.disconnection(c) end
end

function net.createServer(kind, timeout)
  assert(kind == net.TCP, "net.createServer: only TCP is simulated")
  local srv = { timeout = timeout or 30 }
  function srv:listen(port, cb)
    -- socket.bind sets SO_REUSEADDR: a restart finds the last run's connections in TIME_WAIT.
    local s, err = socket.bind("127.0.0.1", port, 4)
    assert(s, "net: listen on port " .. port .. ": " .. tostring(err))
    s:settimeout(0)
    self.sock, self.cb = s, cb
    servers[self] = true
  end
  function srv:close() if self.sock then self.sock:close() end servers[self] = nil end
  return srv
end

-- The loop ----------------------------------------------------------------------------------
local function nextDue()
  local due
  for t in pairs(timers) do if not due or t.due < due then due = t.due end end
  return due
end

local function runTimers()
  local now = socket.gettime()
  local ready = {}
  for t in pairs(timers) do if t.due <= now then ready[#ready + 1] = t end end
  table.sort(ready, function(a, b) return a.due < b.due end)
  for _, t in ipairs(ready) do
    if timers[t] then
      local cb = t.cb
      if t.mode == tmr.ALARM_AUTO then arm(t) else timers[t] = nil end
      if cb then cb(t) end
    end
  end
end

local function flushSends()
  for c in pairs(conns) do
    if c.open and c.out ~= "" then
      local n, err, partial = c.sock:send(c.out)
      local sent = n or partial or 0
      if err == "closed" then dropped(c)
      else
        c.out = c.out:sub(sent + 1)
        c.last = socket.gettime()
        if c.out == "" and c.cbs.sent then local cb = c.cbs.sent; later(function() if c.open then cb(c) end end) end
      end
    end
  end
end

local function watched(extra)
  local r, w = {}, {}
  for s in pairs(servers) do r[#r + 1] = s.sock end
  for c in pairs(conns) do
    r[#r + 1] = c.sock
    if c.out ~= "" then w[#w + 1] = c.sock end
  end
  for _, e in ipairs(extra) do r[#r + 1] = e end
  return r, w
end

local function serve(readable)
  for s in pairs(servers) do
    if readable[s.sock] then
      local client = s.sock:accept()
      if client then
        client:settimeout(0)
        client:setoption("tcp-nodelay", true)
        local c = newConn(client, s.timeout)
        s.cb(c)
      end
    end
  end
  for c in pairs(conns) do
    if c.open and readable[c.sock] then
      local data, err, partial = c.sock:receive(4096)
      local chunk = data or partial
      if chunk and #chunk > 0 then
        c.last = socket.gettime()
        if c.cbs.receive then c.cbs.receive(c, chunk) end
      end
      if err == "closed" then dropped(c) end
    end
  end
  local now = socket.gettime()
  for c in pairs(conns) do if c.open and now - c.last > c.timeout then dropped(c) end end
end

-- One turn: wait for the earliest of a timer, a socket or an extra readable (stdin), dispatch.
-- `onExtra(sock)` handles the extras. Returns false once node.restart() was called.
function M.turn(extra, onExtra)
  flushSends()
  if #pending > 0 then
    local p = pending; pending = {}
    for _, fn in ipairs(p) do fn() end
    return not restartWanted
  end
  local due = nextDue()
  local wait = 1
  if due then wait = math.max(0, math.min(1, due - socket.gettime())) end
  local r, w = watched(extra)
  local readable = socket.select(r, w, wait)
  for _, e in ipairs(extra) do if readable[e] then onExtra(e) end end
  serve(readable)
  runTimers()
  return not restartWanted
end

-- Everything a restart clears: timers, sockets, interrupt callbacks, the restart flag.
function M.reset()
  timers = {}
  for c in pairs(conns) do c:close() end
  for s in pairs(servers) do s:close() end
  servers, conns, pending = {}, {}, {}
  for _, s in pairs(pins) do s.cb, s.trig = nil, nil end
  restartWanted = false
end

-- Installs the modules as globals, as NodeMCU has them (`bit` too on Lua 5.1), and removes the
-- standard libraries NodeMCU does not have (io, os) or may not have (debug), so an image that
-- relied on them fails here; `flashDir` is the SPIFFS directory.
function M.install(flashDir)
  dir = flashDir
  _G.node, _G.file, _G.gpio, _G.tmr, _G.net, _G.wifi = node, file, gpio, tmr, net, wifi
  if _VERSION == "Lua 5.1" then _G.bit = require("bit") end
  _G.io, _G.os, _G.debug = nil, nil, nil
end

M.tmr = tmr
return M
