-- exp, log, log10, pow, sqrt and the ^ operator
local vals = {0, -0.0, 1, -1, 0.5, 2, 10, 100, 1e-300, 1e300, 709, 710, -745, -746, 1/0, -1/0}
for _, v in ipairs(vals) do
  print(v, math.exp(v), math.log(v), math.log10(v), math.sqrt(v))
end
print(math.pow(2, 10), math.pow(2, 0.5), math.pow(2, -1), math.pow(-2, 3), math.pow(-2, 0.5))
print(math.pow(0, 0), math.pow(0, -1), math.pow(-0.0, -1), math.pow(1, 1/0), math.pow(-1, 1/0))
print(math.pow(1/0, 0), math.pow(0/0, 0), math.pow(2, 1024), math.pow(2, -1075), math.pow(10, 15), math.pow(10, 16))
print(2 ^ 10, 2 ^ -2, (-8) ^ (1/3), 10 ^ 308, 10 ^ 309, 0 ^ 0)
print(math.log(math.exp(1)), math.log10(1000), math.log10(2), math.exp(math.log(10)))
print(math.log(8) / math.log(2), math.log(0), math.log10(0))
print(math.sqrt(2), math.sqrt(16), math.sqrt(-0.0), math.sqrt(1e-320))
print(pcall(math.pow, 2))
print(pcall(math.pow))
print(pcall(math.exp, "e"))
print(pcall(math.log))
print(pcall(math.log10, nil))
print(pcall(function() return 2 ^ "x" end))
print(pcall(function() return {} ^ 2 end))
math.pow("a", 2)
