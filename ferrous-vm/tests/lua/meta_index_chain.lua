-- Lookups through chains of __index tables (classes inheriting from classes), settled by the
-- loop's fast path, and the cases it leaves to the slow path.
local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, parent) end
  return c
end
local A = class(); A.a = "A.a"; A.shared = "A"
local B = class(A); B.b = "B.b"; B.shared = "B"
local C = class(B); C.c = "C.c"
local D = class(C)
local obj = setmetatable({own = 1}, D)
print(obj.own, obj.a, obj.b, obj.c, obj.shared, obj.missing)
function A:who() return "A:" .. tostring(self.own) end
print(obj:who())

-- A function __index at the end of a chain.
setmetatable(A, {__index = function(t, k) return "fn:" .. k end})
print(obj.deep, rawget(A, "deep"))

-- A chain longer than any fast path, then a loop.
local top = {z = "end"}
local t = top
for i = 1, 60 do t = setmetatable({}, {__index = t}) end
print(t.z, t.nothing)
local x, y = {}, {}
setmetatable(x, {__index = y}); setmetatable(y, {__index = x})
print(pcall(function() return x.k end))

-- A chain through a non-table __index value.
local odd = setmetatable({}, {__index = setmetatable({}, {__index = 5})})
print(pcall(function() return odd.k end))
