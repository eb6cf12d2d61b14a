-- modf, fmod, mod, and the % operator
local vals = {0, -0.0, 1, -1, 3.7, -3.7, 0.5, -0.5, 1e300, -1e300, 2^53 + 2, 1/0, -1/0, 123.456, 5e-324}
for _, v in ipairs(vals) do
  print(v, math.modf(v))
end
local pairs_ = {{5, 3}, {-5, 3}, {5, -3}, {-5, -3}, {5.5, 2}, {-5.5, 2}, {1, 0}, {0, 1}, {-0.0, 1}, {1/0, 2}, {2, 1/0}, {-2, 1/0}, {1e300, 3}, {7, 0.5}, {0.3, 0.1}, {0, 0}}
for _, p in ipairs(pairs_) do
  local a, b = p[1], p[2]
  print(a, b, math.fmod(a, b), math.mod(a, b), a % b)
end
print(math.mod == math.fmod)
print(math.fmod("7", "3"))
print(select("#", math.modf(3.5)))
print(pcall(math.modf))
print(pcall(math.fmod, 1))
print(pcall(math.fmod))
print(pcall(math.mod, "a", 1))
print(pcall(function() return 1 % {} end))
print(pcall(function() return "5" % "x" end))
math.fmod(1)
