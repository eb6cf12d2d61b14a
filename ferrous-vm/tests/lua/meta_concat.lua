local mt = {__concat = function(a, b)
  local x = type(a) == "table" and "T" or tostring(a)
  local y = type(b) == "table" and "T" or tostring(b)
  return x .. "+" .. y
end}
local t = setmetatable({}, mt)
print(t .. "s", "s" .. t, t .. t, 1 .. t)
print("a" .. "b" .. t .. "c" .. "d")
print(t .. "x" .. "y")
print("x" .. "y" .. t)
print(1 .. 2, 1.5 .. "", -0.25 .. "|", 10 .. 20 .. 30)
print(pcall(function() return "a" .. {} end))
print(pcall(function() return {} .. "a" end))
print(pcall(function() return "a" .. nil end))
print(pcall(function() return true .. "a" end))
local n = setmetatable({}, {__concat = function(a, b) return 42 end})
print(n .. "x", "x" .. n .. "y")
local chain = setmetatable({}, {__concat = function(a, b) return setmetatable({}, getmetatable(type(a) == "table" and a or b)) end})
print(type(chain .. "a" .. "b" .. chain))
local s = ""
for i = 1, 10 do s = s .. i end
print(s)
