print(getfenv() == _G, getfenv(0) == _G, getfenv(1) == _G)
local function f() return getfenv(1) end
print(f() == _G)
local env = {print = print, tostring = tostring, getfenv = getfenv}
setfenv(f, env)
print(f() == env)
local g = function() return x end
setfenv(g, {x = "from env"})
print(g())
print(getfenv(print) == _G)
print(pcall(getfenv, -1))
print(pcall(getfenv, 100))
print(pcall(setfenv, print, {}))
print(pcall(setfenv, 1))
print(pcall(setfenv, f, 1))
local function setter()
  setfenv(1, {print = print, y = "local env"})
  print(y)
end
setter()
local function level2() return getfenv(2) end
local function level1() return level2() end
print(pcall(level1))
print(type(getfenv(f)))
print(setfenv(g, _G) == g)
print(g())
x = "global x"
print(g())
