-- Closures: creation and upvalue access.
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local total = 0
for i = 1, 1000000 do
  local c = counter()
  for _ = 1, 10 do total = total + c() end
end
print(total)
