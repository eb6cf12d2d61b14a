-- newproxy: empty userdata, with a metatable of its own (true) or another proxy's.
local a = newproxy()
print(type(a), getmetatable(a))
local b = newproxy(true)
local mt = getmetatable(b)
print(type(mt), next(mt))
mt.__index = function(u, k) return k .. "!" end
mt.__len = function() return 42 end
mt.__tostring = function() return "proxy" end
mt.__eq = function() return true end
print(b.x, #b, tostring(b))
local c = newproxy(b)
print(getmetatable(c) == mt, c.y, b == c, rawequal(b, c))
print(newproxy(false) ~= nil, getmetatable(newproxy(false)))
print(pcall(newproxy, 1))
print(pcall(newproxy, {}))
print(pcall(newproxy, a))
print(pcall(newproxy, io and io.stdout or a))
print(pcall(setmetatable, b, {}))
local w = setmetatable({}, {__mode = "k"})
w[newproxy(true)] = 1
collectgarbage()
print(next(w))
mt.__metatable = "locked"
print(getmetatable(b), getmetatable(c))
