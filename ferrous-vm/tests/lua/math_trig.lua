-- trigonometric and hyperbolic functions, deg/rad
local vals = {0, -0.0, 0.5, -0.5, 1, -1, math.pi / 6, math.pi / 4, math.pi / 2, math.pi, 2 * math.pi, 10, -10, 100, 1e-10}
for _, v in ipairs(vals) do
  print(v, math.sin(v), math.cos(v), math.tan(v))
  print("", math.asin(v), math.acos(v), math.atan(v))
  print("", math.sinh(v), math.cosh(v), math.tanh(v))
  print("", math.deg(v), math.rad(v))
end
print(math.atan2(1, 1), math.atan2(1, -1), math.atan2(-1, -1), math.atan2(-1, 1))
print(math.atan2(0, 0), math.atan2(-0.0, 0), math.atan2(0, -0.0), math.atan2(-0.0, -0.0))
print(math.atan2(1, 0), math.atan2(-1, 0), math.atan2(1/0, 1/0), math.atan2(1, 1/0), math.atan2(1, -1/0))
print(math.sin(1/0), math.cos(-1/0), math.tan(1/0))
print(math.sinh(1000), math.cosh(-1000), math.tanh(1000), math.tanh(-1/0))
print(math.deg(math.pi), math.rad(180), math.deg(1/0), math.rad(-1/0))
print(math.pi, -math.pi, math.pi * 2)
print(string.format("%.17g", math.pi))
print(pcall(math.sin))
print(pcall(math.atan2, 1))
print(pcall(math.atan2, nil, 1))
print(pcall(math.deg, "x"))
print(pcall(math.cosh, {}))
math.atan2(1)
