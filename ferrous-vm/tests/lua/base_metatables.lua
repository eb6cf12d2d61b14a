local t = {}
print(getmetatable(t))
local mt = {}
print(setmetatable(t, mt) == t)
print(getmetatable(t) == mt)
print(setmetatable(t, nil) == t, getmetatable(t))
mt.__metatable = "locked"
setmetatable(t, mt)
print(getmetatable(t))
print(pcall(setmetatable, t, {}))
print(pcall(setmetatable, t, nil))
mt.__metatable = false
print(getmetatable(t))
print(pcall(setmetatable, t, {}))
print(getmetatable(1), getmetatable(nil), getmetatable(print))
print(pcall(setmetatable, 1, {}))
print(pcall(setmetatable, {}, 1))
print(pcall(setmetatable, {}))
print(pcall(getmetatable))
local a = setmetatable({}, {__index = {x = 1}})
print(a.x, rawget(a, "x"))
