local mt = {}
mt.__lt = function(a, b) return a.v < b.v end
mt.__le = function(a, b) return a.v <= b.v end
local function o(v) return setmetatable({v = v}, mt) end
print(o(1) < o(2), o(2) < o(1), o(1) <= o(1), o(2) <= o(1))
print(o(1) > o(2), o(2) > o(1), o(1) >= o(1), o(2) >= o(1))
local only_lt = {__lt = function(a, b) return a.v < b.v end}
local function p(v) return setmetatable({v = v}, only_lt) end
print(p(1) <= p(2), p(2) <= p(1), p(1) >= p(1))
print(pcall(function() return o(1) < p(2) end))
print(pcall(function() return {} < {} end))
print(pcall(function() return {} <= {} end))
print(pcall(function() return 1 < "2" end))
print(pcall(function() return "1" < 2 end))
print(pcall(function() return nil < 1 end))
print(pcall(function() return true > false end))
print(pcall(function() return print < print end))
print("a" < "b", "abc" < "abd", "Z" < "a", "" < "a", "a" <= "a", "b" >= "a")
print("a\0b" < "a\0c", "a" < "a\0")
print(1 < 2, 2 <= 2, 3 > 4, -1 >= -1)
local truthy = setmetatable({}, {__lt = function() return 1 end, __le = function() return nil end})
print(truthy < truthy, truthy <= truthy)
local count = 0
local counting = {__lt = function(a, b) count = count + 1; return false end}
local x, y = setmetatable({}, counting), setmetatable({}, counting)
if x < y then print("lt") else print("not lt") end
if not (x <= y) then print("not le") end
print(count)
print(pcall(function() return 0/0 < 0/0, 0/0 <= 0/0, 0/0 > 0 end))
local a_num = 1
local b_tbl = setmetatable({}, {__lt = function() return true end})
print(pcall(function() return a_num < b_tbl end))
