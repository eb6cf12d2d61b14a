-- debug.getlocal / setlocal / getupvalue / setupvalue / registry / metatables / fenv
local function f(a, b)
  local c = a + b
  local x, y = debug.getlocal(1, 3)
  print(x, y)
  print(debug.setlocal(1, 3, 100), c)
  print(debug.getlocal(1, 4))
  print(debug.getlocal(2, 1) == "f")
  return c
end
local z = 7
print(f(1, 2))
print(debug.getlocal(0, 1), debug.getlocal(0, 2))
print(debug.getlocal(0, 3))
print(pcall(debug.getlocal, 50, 1))
print(pcall(debug.getlocal, 1))
local function temp() return debug.getlocal(2, 3) end
local function user(a, b) return (a + 1) + select(2, temp()) end
print(pcall(user, 1, 2))
local u1, u2 = 10, 20
local function g() return u1 + u2 end
print(debug.getupvalue(g, 1), debug.getupvalue(g, 2), debug.getupvalue(g, 3))
print(debug.getupvalue(g, 0))
print(debug.setupvalue(g, 2, 5), g(), u2)
print(debug.getupvalue(print, 1), debug.setupvalue(print, 1, 2))
print(pcall(debug.getupvalue, 1, 1))
print(pcall(debug.setupvalue, g, 1))
print(type(debug.getregistry()))
-- metatables of every type
local mt = {__index = function(a, b) return a + b end}
print(debug.setmetatable(10, mt), getmetatable(1) == mt, (5)[3])
debug.setmetatable(1, nil)
print(getmetatable(1))
debug.setmetatable(nil, {__add = function(a, b) return (a or 0) + (b or 0) end})
print(nil + 4)
debug.setmetatable(nil, nil)
print(pcall(function() return nil + 4 end))
local prot = setmetatable({}, {__metatable = "locked"})
print(getmetatable(prot), type(debug.getmetatable(prot)))
debug.setmetatable(prot, nil)
print(getmetatable(prot))
print(pcall(debug.setmetatable, {}, 1))
debug.setmetatable(print, {__index = {x = 1}})
print(print.x, (function() end).x)
debug.setmetatable(print, nil)
-- environments
local env = {}
local function h() return undefined_global end
print(debug.getfenv(h) == _G, debug.setfenv(h, env) == h, debug.getfenv(h) == env)
print(pcall(debug.setfenv, 3, {}))
print(pcall(debug.getfenv))
print(debug.getfenv(3))
local co = coroutine.create(function() return x end)
debug.setfenv(co, {x = 42})
print(debug.getfenv(co).x)
local co2 = coroutine.create(function() return loadstring("return x")() end)
debug.setfenv(co2, {x = 43, loadstring = loadstring})
print(coroutine.resume(co2))
