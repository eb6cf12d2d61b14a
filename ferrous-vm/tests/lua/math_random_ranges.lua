-- math.random with large and fractional bounds, and the sequence after reseeding
math.randomseed(7)
print(math.random(2^31), math.random(2^31 - 1), math.random(-2^31, 2^31 - 1))
print(math.random(1e9), math.random(-1e9, 1e9), math.random(0, 0))
print(math.random(3.7), math.random(-2.5, 2.5), math.random("4"), math.random("1", "2"))
local seq = {}
math.randomseed(99)
for i = 1, 20 do seq[i] = math.random(1, 100) end
print(table.concat(seq, " "))
math.randomseed(99)
local same = true
for i = 1, 20 do if math.random(1, 100) ~= seq[i] then same = false end end
print(same)
math.randomseed(1e10)
print(math.random(1000))
math.randomseed(0.5)
print(math.random(1000))
math.randomseed(-2^31)
print(math.random(1000))
math.randomseed(2^53)
print(math.random(1000))
print(pcall(math.random, 1/0))
print(pcall(math.random, 0/0))
print(pcall(math.random, -1/0, 1))
print(pcall(math.random, 2, 1.5))
print(pcall(math.random, 1.5, 1))
print(select("#", math.randomseed(3)))
