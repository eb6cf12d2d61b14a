-- Tables, array part: fill, read, sum.
local t = {}
for round = 1, 100 do
  for i = 1, 100000 do t[i] = i * round end
  local s = 0
  for i = 1, #t do s = s + t[i] end
  t = {}
end
print(#t)
