-- The pair of instructions the loader fuses into one dispatch (`ADD` of two registers, then
-- `FORLOOP`: `specialize.rs`), in the cases its fast path does not take, and under hooks.

-- ADD + FORLOOP: the sum at the end of a loop's body.
local t = {1, 2, 3, 4}
local s = 0
for i = 1, #t do s = s + t[i] end
print(s)
s = 0
for i = 10, 1, -3 do s = s + i end            -- a negative step
print(s)
s = 0
for i = 0, 1, 0.25 do s = s + i end           -- fractional steps
print(s)
s = 0
for i = 1, 0 do s = s + i end                  -- no iteration
print(s)
local parts = {"10", "2", " 3 ", "0x10"}     -- strings that convert
s = 0
for i = 1, #parts do local p = parts[i]; s = s + p end
print(s)
local vmt = {}
vmt.__add = function(a, b) return setmetatable({n = a.n + b}, vmt) end
local V = setmetatable({n = 0}, vmt)
local acc = V
for i = 1, 3 do acc = acc + i end             -- `__add` on the fused form's left operand
print(acc.n)
s = 0
for i = 1, 6 do
  if i % 2 == 0 then s = s + i end            -- the odd iterations jump straight to FORLOOP
end
print(s)
print(pcall(function()
  local x = 0
  for i = 1, 3 do local y = i > 2 and {} or i; x = x + y end
end))
print(pcall(function()
  local x = 0
  for i = 1, 2 do local z = nil; x = x + z end
end))
local nested = 0
for i = 1, 3 do for j = 1, 3 do nested = nested + j end nested = nested + i end
print(nested)

local function id(...) return ... end
-- Hooks see each instruction of a fused pair as a step of its own: count and line events.
local steps = 0
local function body()
  local total, fn = 0, id
  for i = 1, 5 do total = total + i end
  fn(total)
  return total
end
debug.sethook(function() steps = steps + 1 end, "", 1)
body()
debug.sethook()
print("count events", steps)
local lines = {}
debug.sethook(function(_, line) lines[#lines + 1] = line end, "l")
body()
debug.sethook()
print("line events", #lines, table.concat(lines, " "))
