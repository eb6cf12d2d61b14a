local callable = setmetatable({}, {__call = function(self, a, b) return "called", a, b end})
print(callable(1, 2))
print(callable())
print(pcall(callable, "x"))
local obj = {f = callable}
print(obj.f("y"))
print(select('#', callable(nil, nil)))
local counter = setmetatable({n = 0}, {__call = function(self) self.n = self.n + 1 return self.n end})
counter() counter()
print(counter())
local function tail() return callable("tail") end
print(tail())
local nested = setmetatable({}, {__call = callable})
print(pcall(nested, 1))
local co = coroutine.wrap(function(...) return callable(...) end)
print(co(5, 6))
for k, v in setmetatable({}, {__call = function(self, s, c) if (c or 0) < 3 then return (c or 0) + 1, "v" end end}) do print(k, v) end
print(pcall(setmetatable({}, {__call = 1})))
print(pcall(setmetatable({}, {})))
local m = setmetatable({}, {__call = function(self, ...) return select('#', ...) end})
print(m(1, 2, 3, nil))
local t = {}
print(pcall(function() t.missing() end))
print(pcall(function() t:method() end))
