-- frexp and ldexp edge values
local vals = {0, -0.0, 1, -1, 0.5, 2, 3, 1024, 1e300, 1e-300, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1/0, -1/0, 123.456, -0.75, 2^53, 2^-1074}
for _, v in ipairs(vals) do
  local m, e = math.frexp(v)
  print(v, m, e, math.ldexp(m, e))
end
print(math.ldexp(1, 0), math.ldexp(1, 10), math.ldexp(1, -1), math.ldexp(0.5, 1024), math.ldexp(1, 1024))
print(math.ldexp(1, -1074), math.ldexp(1, -1075), math.ldexp(1, -1076), math.ldexp(-1, 2000), math.ldexp(3, 2.9))
print(math.ldexp(1, 2^31), math.ldexp(1, -2^31), math.ldexp(0, 5000), math.ldexp(1/0, -5000))
print(math.ldexp("2", "3"), math.ldexp(1.5, -1.5))
print(select("#", math.frexp(8)))
print(pcall(math.frexp))
print(pcall(math.frexp, "x"))
print(pcall(math.ldexp, 1))
print(pcall(math.ldexp))
print(pcall(math.ldexp, 1, "y"))
math.ldexp(1)
