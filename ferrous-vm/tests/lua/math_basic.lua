-- abs, ceil, floor, sqrt, max, min with edge values
local vals = {0, -0.0, 1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, 1e300, -1e300, 1/0, -1/0, 2^53 + 0.5, 123.456, -123.456, 4, 2, 1e-300}
for _, v in ipairs(vals) do
  print(v, math.abs(v), math.ceil(v), math.floor(v), math.sqrt(v))
end
print(math.max(1), math.max(1, 2, 3), math.max(3, 2, 1), math.max(-1, -2), math.max(1, "5"))
print(math.min(1), math.min(1, 2, 3), math.min(3, 2, 1), math.min(-1, -2), math.min(1, "-5"))
print(math.max(0, -0.0), math.max(-0.0, 0), math.min(0, -0.0), math.min(-0.0, 0))
print(math.max(1/0, 1), math.min(-1/0, 1), math.max(1, 2.5, 2.4))
print(math.floor("3.5"), math.ceil(" 3.5 "), math.abs("-0x10"))
print(pcall(math.max))
print(pcall(math.min))
print(pcall(math.max, 1, "x"))
print(pcall(math.min, 1, nil))
print(pcall(math.abs))
print(pcall(math.floor, {}))
print(pcall(math.ceil, "x"))
print(pcall(math.sqrt, nil))
print(pcall(function() return math.floor() end))
print(pcall(function() return math.max(1, 2, {}) end))
math.abs()
