-- firstlight's Lua runtime: what the compiled firmware needs that Lua lacks (docs/engines.md,
-- The Lua contract). build/lua/plugin.ts lowers JavaScript's bitwise operators to the functions
-- below and typed-array stores to i32/band/% conversions; the typed arrays themselves are
-- Uint8Array, Uint16Array, Int32Array, Uint32Array and Float64Array here. The same file runs on Lua 5.1 (with
-- a `bit` module: LuaBitOp, or NodeMCU's) and on Lua 5.3 (native operators, 64-bit or 32-bit
-- integers). The build puts it in front of every Lua image, so its locals are upvalues of the
-- image's functions.
--
-- Numbers: every bitwise operand must be an integer with |x| < 2^53 (JavaScript truncates
-- fractions; the checked run, FL_CHECK, proves none reaches here). Results are JavaScript's:
-- int32 for & | ^ << >> ~, uint32 for >>>.

local FL_CHECK = rawget(_G, "FL_CHECK")
if rawget(_G, "unpack") == nil then unpack = table.unpack end
local floor = math.floor
local TWO32, TWO31 = 4294967296, 2147483648

--- x reduced to int32 (JavaScript's ToInt32 of an integer), by exact double arithmetic.
local function i32(x)
  x = x % TWO32 -- exact for every double: a power-of-two modulus
  if x >= TWO31 then return x - TWO32 end
  return x
end

--- x truncated toward zero (ToInt32 of a quotient: `n / B | 0`).
local function trunc(x)
  if x >= 0 then return floor(x) end
  return -floor(-x)
end

local band, bor, bxor, shl, sar, shr, bnot

-- The compiled code's numbers are floats on Lua 5.3 (the plugin prints integer literals as
-- floats); JavaScript prints an integral number without a fraction, and so does this tostring.
local lua_tostring, mtype, format = tostring, math.type, string.format
local function tostring(v)
  if mtype and mtype(v) == "float" and v % 1 == 0 and v > -2 ^ 53 and v < 2 ^ 53 then
    return format("%d", v)
  end
  return lua_tostring(v)
end

--- `new F(...)`: a class (typescript-to-lua's layout, typed arrays included) or an ES5
--- constructor function that returns its object.
local function fl_new(target, ...)
  if target == nil then error("TypeError: new of an undefined constructor", 2) end
  if type(target) == "function" then return target(nil, ...) end
  local instance = setmetatable({}, target.prototype)
  instance:____constructor(...)
  return instance
end

if _VERSION == "Lua 5.1" then
  local bit = rawget(_G, "bit") or require("bit")
  local b_and, b_or, b_xor, b_lshift, b_arshift, b_rshift, b_not =
    bit.band, bit.bor, bit.bxor, bit.lshift, bit.arshift, bit.rshift, bit.bnot
  -- The bit module is only given int32 operands: LuaBitOp is exact to 2^51 only (a sum like
  -- x*2^21 + y reaches 2^52), and NodeMCU's casts a double to a C int (undefined outside int32).
  band = function(a, b)
    if a >= TWO31 or a < -TWO31 then a = i32(a) end
    if b >= TWO31 or b < -TWO31 then b = i32(b) end
    return b_and(a, b)
  end
  bor = function(a, b)
    if a >= TWO31 or a < -TWO31 then a = i32(a) end
    if b >= TWO31 or b < -TWO31 then b = i32(b) end
    return b_or(a, b)
  end
  bxor = function(a, b)
    if a >= TWO31 or a < -TWO31 then a = i32(a) end
    if b >= TWO31 or b < -TWO31 then b = i32(b) end
    return b_xor(a, b)
  end
  shl = function(a, n)
    if a >= TWO31 or a < -TWO31 then a = i32(a) end
    return b_lshift(a, n % 32)
  end
  sar = function(a, n)
    if a >= TWO31 or a < -TWO31 then a = i32(a) end
    return b_arshift(a, n % 32)
  end
  shr = function(a, n)
    if a >= TWO31 or a < -TWO31 then a = i32(a) end
    return b_rshift(a, n % 32) % TWO32
  end
  bnot = function(a)
    if a >= TWO31 or a < -TWO31 then a = i32(a) end
    return b_not(a)
  end
elseif math.maxinteger < 2 ^ 53 or rawget(_G, "FL_NARROW") then
  -- Lua 5.3 with 32-bit integers (NodeMCU's build; FL_NARROW selects it on a 64-bit Lua to test
  -- it): native operators only ever see int32 values, and every result leaves as a float, so no
  -- integer (which would wrap at 2^31) reaches the compiled code's arithmetic.
  band, bor, bxor, shl, sar, shr, bnot = (loadstring or load)([[
    local i32, floor = ...
    local function n(x) return i32(x + 0.0) end
    return
      function(a, b) return n(math.tointeger(n(a)) & math.tointeger(n(b))) end,
      function(a, b) return n(math.tointeger(n(a)) | math.tointeger(n(b))) end,
      function(a, b) return n(math.tointeger(n(a)) ~ math.tointeger(n(b))) end,
      function(a, k) return i32(n(a) * 2.0 ^ (k % 32)) end,
      function(a, k) return floor(n(a) / 2.0 ^ (k % 32)) + 0.0 end,
      function(a, k) return floor((n(a) % 4294967296.0) / 2.0 ^ (k % 32)) + 0.0 end,
      function(a) return -n(a) - 1.0 end
  ]])(i32, floor)
else
  -- Lua 5.3+ with 64-bit integers: native operators, kept in a string so that Lua 5.1 can parse
  -- this file; each result brought back to int32 inline ((x + 2^31) & (2^32 - 1)) - 2^31: a
  -- call fewer per operator, which is most of SHA-2's time.
  band, bor, bxor, shl, sar, shr, bnot = (loadstring or load)([[
    return
      function(a, b) return ((a & b) + 0x80000000 & 0xFFFFFFFF) - 0x80000000 end,
      function(a, b) return ((a | b) + 0x80000000 & 0xFFFFFFFF) - 0x80000000 end,
      function(a, b) return ((a ~ b) + 0x80000000 & 0xFFFFFFFF) - 0x80000000 end,
      function(a, k) return ((a << (k & 31)) + 0x80000000 & 0xFFFFFFFF) - 0x80000000 end,
      function(a, k) return ((a + 0x80000000 & 0xFFFFFFFF) - 0x80000000) // (1 << (k & 31)) end,
      function(a, k) return (a & 0xFFFFFFFF) >> (k & 31) end,
      function(a) return (~a + 0x80000000 & 0xFFFFFFFF) - 0x80000000 end
  ]])()
end

if FL_CHECK then
  -- The checked run: every operand an integer below 2^53, every shift count in 0..31.
  local function int(x, op)
    if type(x) ~= "number" or x ~= x or x % 1 ~= 0 or x >= 2 ^ 53 or x <= -(2 ^ 53) then
      error("FL_CHECK: operand of " .. op .. " is not an exact integer: " .. tostring(x), 3)
    end
  end
  local function checked2(f, op)
    return function(a, b) int(a, op); int(b, op); return f(a, b) end
  end
  local function checkedShift(f, op)
    return function(a, k)
      int(a, op)
      if type(k) ~= "number" or k % 1 ~= 0 or k < 0 or k > 31 then error("FL_CHECK: shift count " .. tostring(k), 2) end
      return f(a, k)
    end
  end
  band, bor, bxor = checked2(band, "&"), checked2(bor, "|"), checked2(bxor, "^")
  shl, sar, shr = checkedShift(shl, "<<"), checkedShift(sar, ">>"), checkedShift(shr, ">>>")
  local notf = bnot
  bnot = function(a) int(a, "~"); return notf(a) end
  local i32f = i32
  i32 = function(x) int(x, "Int32Array store"); return i32f(x) end
end

-- Typed arrays: a table with elements at 0..length-1 and a `length` field; its metatable is the
-- class's prototype, laid out as typescript-to-lua's classes are (so `new` and `instanceof` work).
-- `subarray` returns a view: a proxy that reads and writes the same table at an offset.

local function typedArrayClass(name, convert)
  local P = {}
  P.__index = P
  local C = { name = name, prototype = P }
  P.constructor = C
  -- Views of this class: numbers go to the base table, everything else to the prototype.
  local V = {}
  V.__index = function(t, k)
    if type(k) == "number" then
      if k >= 0 and k < t.length then return t.__b[t.__o + k] end
      return nil
    end
    return P[k]
  end
  V.__newindex = function(t, k, v)
    if type(k) == "number" then
      if k >= 0 and k < t.length then t.__b[t.__o + k] = v end
    else
      rawset(t, k, v)
    end
  end

  function P.____constructor(self, a)
    if type(a) == "number" then
      if a < 0 or a % 1 ~= 0 then error(name .. ": invalid length " .. tostring(a), 3) end
      for i = 0, a - 1 do self[i] = 0 end
      self.length = a
    elseif a == nil then
      self.length = 0
    elseif type(a) == "table" then
      local n = a.length
      if n == nil then
        -- a typescript-to-lua array (1-based)
        n = #a
        for i = 1, n do self[i - 1] = convert(a[i]) end
      else
        for i = 0, n - 1 do self[i] = convert(a[i]) end
      end
      self.length = n
    else
      error(name .. ": cannot construct from a " .. type(a), 3)
    end
  end

  --- JavaScript's TypedArray.prototype.set(source, offset): a copy, safe when source overlaps.
  function P.set(self, src, off)
    off = off or 0
    local n = src.length
    local from = 0
    if n == nil then n = #src; from = 1 end
    if off < 0 or off + n > self.length then error("RangeError: offset is out of bounds", 2) end
    if rawget(src, "__b") ~= nil or src == self then
      local tmp = {}
      for i = 0, n - 1 do tmp[i] = src[i + from] end
      src, from = tmp, 0
    end
    local same = getmetatable(src) == P or getmetatable(src) == V
    for i = 0, n - 1 do
      local v = src[i + from]
      if not same then v = convert(v) end
      self[off + i] = v
    end
  end

  --- JavaScript's subarray(begin, end): negative indices count from the end; both are clamped.
  function P.subarray(self, b, e)
    local n = self.length
    b = b or 0
    if e == nil then e = n end
    if b < 0 then b = b + n; if b < 0 then b = 0 end elseif b > n then b = n end
    if e < 0 then e = e + n; if e < 0 then e = 0 end elseif e > n then e = n end
    if e < b then e = b end
    local base, off = self, b
    local inner = rawget(self, "__b")
    if inner ~= nil then base, off = inner, self.__o + b end
    return setmetatable({ __b = base, __o = off, length = e - b }, V)
  end

  return C
end

local function id(v) return v end
Uint8Array = typedArrayClass("Uint8Array", function(v) return band(v, 255) end)
Int32Array = typedArrayClass("Int32Array", i32)
Uint16Array = typedArrayClass("Uint16Array", function(v) return v % 65536 end)
Uint32Array = typedArrayClass("Uint32Array", function(v) return v % TWO32 end)
Float64Array = typedArrayClass("Float64Array", id)

-- Date.now(): milliseconds (the self-test's timings); os.clock is what every Lua has.
Date = { now = function() return floor(os.clock() * 1000) end }

-- JSON.parse of one string literal (firmware/crypto/bytes.ts utf8Decode builds one): \uXXXX
-- escapes (a surrogate pair is one code point) become UTF-8, as Lua strings hold text.
local function utf8Char(c)
  if c < 0x80 then return string.char(c) end
  if c < 0x800 then return string.char(0xc0 + floor(c / 64), 0x80 + c % 64) end
  if c < 0x10000 then return string.char(0xe0 + floor(c / 4096), 0x80 + floor(c / 64) % 64, 0x80 + c % 64) end
  return string.char(0xf0 + floor(c / 262144), 0x80 + floor(c / 4096) % 64, 0x80 + floor(c / 64) % 64, 0x80 + c % 64)
end

JSON = {
  parse = function(_, s)
    if type(s) ~= "string" or s:sub(1, 1) ~= '"' or s:sub(-1) ~= '"' then
      error("JSON.parse on Lua reads one string literal only", 2)
    end
    local out, i, n = {}, 2, #s - 1
    while i <= n do
      local ch = s:sub(i, i)
      if ch == "\\" then
        local e = s:sub(i + 1, i + 1)
        if e == "u" then
          local c = tonumber(s:sub(i + 2, i + 5), 16)
          i = i + 6
          if c >= 0xd800 and c <= 0xdbff and s:sub(i, i + 1) == "\\u" then
            local d = tonumber(s:sub(i + 2, i + 5), 16)
            if d >= 0xdc00 and d <= 0xdfff then
              c = 0x10000 + (c - 0xd800) * 1024 + (d - 0xdc00)
              i = i + 6
            end
          end
          out[#out + 1] = utf8Char(c)
        else
          local map = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }
          out[#out + 1] = map[e] or error("JSON.parse: bad escape \\" .. e, 2)
          i = i + 2
        end
      else
        out[#out + 1] = ch
        i = i + 1
      end
    end
    return table.concat(out)
  end,
}

--- firmware/crypto/bytes.ts utf8Encode on Lua: a Lua string already is its UTF-8 bytes.
local function fl_utf8_bytes(s)
  local n = #s
  local out = setmetatable({ length = n }, Uint8Array.prototype)
  for i = 1, n do out[i - 1] = s:byte(i) end
  return out
end
