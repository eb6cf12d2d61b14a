-- Allocation-heavy: many short-lived tables, some kept alive.
local keep = {}
local n = 0
for i = 1, 2000000 do
  local t = {i, i + 1, name = "n"}
  n = n + #t
  if i % 100 == 0 then keep[#keep + 1] = t end
end
print(n, #keep)
