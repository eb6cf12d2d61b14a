-- math.random sequences after randomseed (glibc rand, as lua5.1), ranges and errors
math.randomseed(42)
local a = {}
for i = 1, 10 do a[i] = math.random() end
print(table.concat(a, " "))
math.randomseed(42)
local b = {}
for i = 1, 10 do b[i] = math.random() end
print(a[1] == b[1], a[10] == b[10])
math.randomseed(10)
print(math.random(), math.random(10), math.random(5, 7), math.random(100))
math.randomseed(0)
for i = 1, 5 do print(math.random(1, 6), math.random(6), math.random()) end
math.randomseed(123.9)
print(math.random(1000000))
math.randomseed(-1)
print(math.random(1000000))
math.randomseed(2^32 + 5)
print(math.random(1000000))
math.randomseed("7")
print(math.random(1000000))
math.randomseed(1)
local counts = {0, 0, 0}
for i = 1, 3000 do local r = math.random(3); counts[r] = counts[r] + 1 end
print(counts[1] + counts[2] + counts[3], counts[1] > 800, counts[2] > 800, counts[3] > 800)
local lo, hi = 1, 0
for i = 1, 1000 do local r = math.random(); if r < lo then lo = r end; if r > hi then hi = r end end
print(lo >= 0, hi < 1)
print(math.random(5, 5), math.random(1), math.random(-3, -3))
print(math.random(2.9), math.random(1, 1.5))
print(math.random(-10, -5) <= -5)
print(pcall(math.random, 0))
print(pcall(math.random, -5))
print(pcall(math.random, 5, 1))
print(pcall(math.random, 1, 2, 3))
print(pcall(math.random, "x"))
print(pcall(math.random, 1, "y"))
print(pcall(math.randomseed))
print(pcall(math.randomseed, "x"))
print(pcall(function() return math.random(3, 2) end))
math.random(0)
