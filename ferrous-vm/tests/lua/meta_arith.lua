local V = {}
V.__index = V
local function vec(x, y) return setmetatable({x = x, y = y}, V) end
V.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
V.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
V.__mul = function(a, b)
  if type(a) == "number" then return vec(a * b.x, a * b.y) end
  if type(b) == "number" then return vec(a.x * b, a.y * b) end
  return a.x * b.x + a.y * b.y
end
V.__div = function(a, b) return "div" end
V.__mod = function(a, b) return "mod" end
V.__pow = function(a, b) return "pow" end
V.__unm = function(a) return vec(-a.x, -a.y) end
V.__len = function(a) return 2 end
local a, b = vec(1, 2), vec(3, 4)
local c = a + b
print(c.x, c.y)
c = a - b print(c.x, c.y)
print(a * b)
c = a * 3 print(c.x, c.y)
c = 2 * a print(c.x, c.y)
print(a / b, a % 1, 2 ^ a)
c = -a print(c.x, c.y)
print(#a)
local left = setmetatable({}, {__add = function(x, y) return "left" end})
local right = setmetatable({}, {__add = function(x, y) return "right" end})
print(left + right, right + left, left + 1, 1 + right)
print("10" + 1, "3" * "4", 10 - "2", "2" ^ 3, -"5", "7" % 4, "1" / 4)
local strarith = setmetatable({}, {__add = function(x, y) return type(x) .. "+" .. type(y) end})
print("x" + strarith, strarith + "y")
print(pcall(function() return {} + 1 end))
print(pcall(function() return "abc" + 1 end))
print(pcall(function() return 1 + "abc" end))
print(pcall(function() return -{} end))
print(pcall(function() return #5 end))
local multi = setmetatable({}, {__add = function() return 1, 2, 3 end})
print(multi + multi)
local nilres = setmetatable({}, {__add = function() end})
print(nilres + 1)
print(5 % 3, -5 % 3, 5 % -3, -5 % -3, 5.5 % 2)
print(2 ^ 10, 7 / 2)
print(1 / 0 > 0, -1 / 0 < 0)
local unm_nonnum = setmetatable({}, {__unm = function(a, b) return rawequal(a, b) end})
print(-unm_nonnum)
