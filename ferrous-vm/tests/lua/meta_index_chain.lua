local base = {greet = function(self) return "hello from " .. self.name end, kind = "base"}
local mid = setmetatable({level = "mid"}, {__index = base})
local obj = setmetatable({name = "obj"}, {__index = mid})
print(obj.name, obj.level, obj.kind, obj:greet())
print(obj.missing)
local calls = 0
local lazy = setmetatable({}, {__index = function(t, k) calls = calls + 1; return k .. "!" end})
print(lazy.a, lazy.b, lazy[1], calls)
local deep = {}
local cur = deep
for i = 1, 50 do
  local nxt = {}
  setmetatable(cur, {__index = nxt})
  cur = nxt
end
cur.bottom = "found"
print(deep.bottom)
local loop = {}
setmetatable(loop, {__index = loop})
print(pcall(function() return loop.x end))
local chain = {}
local c = chain
for i = 1, 120 do local n = {} setmetatable(c, {__index = n}) c = n end
print(pcall(function() return chain.x end))
local fnidx = setmetatable({}, {__index = function(t, k) return nil end})
print(fnidx.x)
local nested = setmetatable({}, {__index = setmetatable({}, {__index = function(t, k) return "fn:" .. k end})})
print(nested.q)
local n = setmetatable({}, {__index = 5})
print(pcall(function() return n.x end))
local gl = setmetatable({}, {__index = _G})
print(gl.print == print)
local method = setmetatable({}, {__index = {m = function(self, a) return self == method, a end}})
print(method:m(3))
print(rawget(obj, "kind"))
