print(pcall(function() return 1, 2, 3 end))
print(pcall(function() error("msg") end))
print(pcall(function() error("msg", 0) end))
local ok, e = pcall(function() error({code = 7}) end)
print(ok, type(e), e.code)
print(pcall(error))
print(pcall(error, nil))
print(pcall(error, 42))
print(pcall(error, 42, 2))
print(pcall(error, true))
print(pcall(pcall))
print(pcall(pcall, error, "x"))
print(pcall(function(...) return select('#', ...) end, 1, nil, 3))
print(pcall(nil))
print(pcall({}))
print(pcall(setmetatable({}, {__call = function(self, a) return "called", a end}), 5))
local depth = 0
local function nest(n)
  if n == 0 then error("bottom") end
  local ok, err = pcall(nest, n - 1)
  depth = depth + 1
  error(err, 0)
end
print(pcall(nest, 50), depth)
print(select('#', pcall(function() end)))
local function f() return pcall(error, "tail") end
print(f())
print(pcall(function() local x = nil; return x + 1 end))
print(pcall(function() return #nil end))
