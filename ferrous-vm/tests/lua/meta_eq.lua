local mt = {__eq = function(a, b) return a.id == b.id end}
local a = setmetatable({id = 1}, mt)
local b = setmetatable({id = 1}, mt)
local c = setmetatable({id = 2}, mt)
print(a == b, a == c, a ~= b, a ~= c)
print(a == a, rawequal(a, b))
local other = setmetatable({id = 1}, {__eq = function() return true end})
print(a == other, other == a)
local shared = function() return true end
local x = setmetatable({}, {__eq = shared})
local y = setmetatable({}, {__eq = shared})
print(x == y, x ~= y)
print(a == 1, a == "a", a == nil, 1 == "1", "1" == "1")
local plain = {}
print(a == plain, plain == a)
local calls = 0
local counting = {__eq = function() calls = calls + 1; return 1 end}
local p, q = setmetatable({}, counting), setmetatable({}, counting)
print(p == q, p ~= q, calls)
print(p == p, calls)
local t = {}
t[a] = "a"
print(t[b])
local falsy = setmetatable({}, {__eq = function() return nil end})
local falsy2 = setmetatable({}, getmetatable(falsy))
print(falsy == falsy2)
print(0 == -0, 0/0 == 0/0, 1 == 1.0)
