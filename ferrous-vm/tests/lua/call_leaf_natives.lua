-- Leaf natives (math, select, string.sub, table.insert, tostring, ...) run without a frame of
-- their own unless they fail or make a request: what callers, error messages, levels,
-- tracebacks and hooks see must be what lua5.1 shows.
local function try(f, ...)
  print(pcall(f, ...))
end

-- Errors raised by leaf natives called from Lua code: the function's name comes from the call.
try(function() return math.abs() end)
try(function() local abs = math.abs; local y = abs("x") return y end)
try(function() local t = {} ; t.f = math.floor; return t.f({}) end)
try(function() return ("x"):rep({}) end)
try(function() local s = "abc"; return s:sub() end)
try(function() return select(0, 1, 2) end)
try(function() return select(-5, 1, 2) end)
try(function() table.insert({}, 1, 2, 3) end)
try(function() table.insert(nil, 1) end)
try(function() return table.concat({1, {}, 3}) end)
try(function() return string.format("%d", "x") end)
try(function() return string.format("%q") end)
try(function() return setmetatable(1, {}) end)
try(function() return setmetatable(setmetatable({}, {__metatable = 1}), {}) end)
try(function() return rawset({}, nil, 1) end)
try(function() return tonumber("10", 99) end)
try(function() return type(string.rep) end)
try(function() return unpack({}, 1, 1e8) end)
try(function() assert(false) end)
try(function() assert(nil, "with message") end)
try(function() assert(1 == 2, 42) end)
try(function() local x = type() end)
try(function() return string.char(256) end)
try(function() return math.max() end)

-- In a tail call.
local function tail_abs(x) return math.abs(x) end
try(tail_abs, nil)
try(tail_abs, -3)

-- Results: none, one, several, adjusted.
print(select('#', select(2, 'a', 'b', 'c')))
print(math.floor(2.5), (math.modf(3.25)), math.modf(-3.25))
print(string.byte("hello", 1, -1))
print(({string.byte("hello", 1, -1)})[5], #{string.byte("hello", 1, -1)})
local t = {}
for i = 1, 5 do table.insert(t, i * i) end
print(table.concat(t, ","), table.remove(t), table.remove(t, 1), #t)
print(tostring(nil), tostring(1.5), tostring("s"), type(tostring({})))

-- tostring with __tostring: a request made after it returns (its own frame then exists).
local obj = setmetatable({}, {__tostring = function() return "OBJ" end})
print(tostring(obj), select('#', tostring(obj)))
local bad = setmetatable({}, {__tostring = function() error("in __tostring") end})
try(function() return tostring(bad) end)
local lvl = setmetatable({}, {__tostring = function() error("level 2", 2) end})
try(function() return tostring(lvl) end)
print(pcall(tostring, obj))

-- Levels: error(msg, 2) from a function a leaf native's request calls, and getfenv levels
-- right after a leaf call.
local function env_level() local _ = math.abs(-1); return getfenv(1) == _G end
print(env_level())

-- Tracebacks through a failing leaf native.
local function handler(msg)
  return (debug.traceback(msg, 1):gsub("\n[^\n]*%[C%]: %?[^\n]*", ""))
end
local function deep(n) if n == 0 then return math.floor({}) end return deep(n - 1) + 1 end
print(xpcall(function() return deep(3) end, handler))

-- Call hooks see leaf natives as calls.
local calls = {}
debug.sethook(function(ev)
  local info = debug.getinfo(2, "nS")
  if info.what == "C" then calls[#calls + 1] = ev .. ":" .. tostring(info.name) end
end, "cr")
local _ = math.abs(-2) + select('#', 1, 2) + #string.sub("abc", 2)
debug.sethook()
print(table.concat(calls, " "))

-- A leaf called at the frame limit: the stack overflow is reported as lua5.1 reports it.
local function rec(n) return math.abs(rec(n + 1)) end
local ok, msg = pcall(rec, 1)
print(ok, (tostring(msg):gsub("^.-:%d+: ", "")))

-- Natives used as metamethods take the framed path.
local mt = setmetatable({}, {__index = rawget})
print(mt.x)
local proxy = setmetatable({}, {__index = function(t, k) return math.abs(k) end})
print(proxy[-7])
try(function() return proxy.x end)
