-- collectgarbage("step", n) returns true only when its step finished a cycle: small steps
-- need several calls, larger ones fewer, a huge one finishes at once (as gc.lua checks).
local function dosteps(size)
  collectgarbage()
  collectgarbage("stop")
  local a = {}
  for i = 1, 100 do a[i] = {{}}; local b = {} end
  local before = gcinfo()
  local n = 0
  repeat
    n = n + 1
  until collectgarbage("step", size)
  collectgarbage("restart")
  return n, gcinfo() <= before
end
local n0, freed = dosteps(0)
print(n0 > 10, freed)
print(dosteps(6) < dosteps(2))
print(dosteps(10000))
print(collectgarbage("step", 1000000))
print(collectgarbage("step", 1000000))
local saw_false, saw_true = false, false
for i = 1, 200 do
  if collectgarbage("step") then saw_true = true else saw_false = true end
end
print(saw_false, saw_true)
-- A finished step collected the garbage.
local weak = setmetatable({}, {__mode = "k"})
weak[{}] = true
repeat until collectgarbage("step")
print(next(weak))
