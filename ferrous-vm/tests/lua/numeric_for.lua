for i = 1, 3 do io_ = i end print(io_)
local function collect(a, b, c)
  local out = {}
  if c then for i = a, b, c do out[#out + 1] = i end
  else for i = a, b do out[#out + 1] = i end end
  local s = ""
  for k = 1, #out do s = s .. tostring(out[k]) .. " " end
  return #out .. ": " .. s
end
print(collect(1, 5))
print(collect(5, 1))
print(collect(5, 1, -1))
print(collect(1, 2, 0.5))
print(collect(1, 0))
print(collect(0, 1, 0.25))
print(collect(-3, 3, 2))
print(collect(10, 1, -3))
print(collect("1", "3"))
print(collect(1, 3, "1"))
print(collect(1.5, 4))
print(collect(1, 1))
print(collect(0.1, 0.35, 0.1))
print(pcall(collect, "a", 2))
print(pcall(collect, 1, {}))
print(pcall(collect, 1, 2, nil == 1))
print(pcall(function() for i = nil, 2 do end end))
print(pcall(function() for i = 1, nil do end end))
print(pcall(function() for i = 1, 2, {} do end end))
for i = 1, 3 do local j = i i = i * 10 io_ = io_ .. "," .. i .. "/" .. j end print(io_)
local n = 0
for i = 1, 1/0 do n = n + 1 if n == 5 then break end end print(n)
n = 0
for i = 1, 0, 1 do n = n + 1 end print(n)
n = 0
for i = 3, 1, 0 do n = n + 1 if n > 2 then break end end print(n)
for i = 2^53 - 3, 2^53 - 1 do print(i) end
n = 0
for i = 1, 3 do for j = i, 3 do n = n + 1 end end print(n)
print(pcall(function() for i = 1, "x" do end end))
for i = 1, 2, 0 - 1 do print("never") end
-- The step's sign picks the comparison (a zero, -0 or NaN step compares as a negative one).
local function run(a, b, c, max)
  local n, last = 0, nil
  for i = a, b, c do n = n + 1; last = i; if n >= max then break end end
  print(a, b, c, n, last)
end
run(1, 10, 0, 5) run(10, 1, 0, 5) run(1, 1, 0, 3) run(1, 3, -0.0, 4) run(3, 1, -0.0, 4)
run(1, 5, 0/0, 4) run(5, 1, 0/0, 4) run(0/0, 5, 1, 4) run(1, 0/0, -1, 4)
run(1, math.huge, 1e308, 4) run(-1, -math.huge, -1e308, 4) run(math.huge, math.huge, -1, 3)
run(1, -1, -0.5, 10) run(-math.huge, math.huge, math.huge, 3)
