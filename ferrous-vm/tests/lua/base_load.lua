local parts = {"return ", "1 ", "+ ", "41"}
local i = 0
local f = load(function() i = i + 1; return parts[i] end)
print(f())
print(type(load(function() return nil end)))
print(type(load(function() return nil end)))
local once = false
print(load(function() if once then return nil end once = true return "return +" end))
print(type(load(function() if once then return nil end once = true return "x" end, "=chunk")))
print(pcall(load))
print(pcall(load, "return 1"))
print(pcall(load, function() return {} end))
print(pcall(load, function() error("reader failed") end))
local n = 0
local g = load(function() n = n + 1; if n == 1 then return "return 'x'" elseif n == 2 then return "" else return "garbage" end end)
print(g())
local k = 0
print(pcall(load(function() k = k + 1; if k == 1 then return "error('from loaded')" end end, "@loaded.lua")))
