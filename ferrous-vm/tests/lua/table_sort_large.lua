-- table.sort on larger and adversarial inputs: sorted, reversed, organ pipe, duplicates
local function check(t, lt)
  lt = lt or function(a, b) return a < b end
  for i = 2, #t do if lt(t[i], t[i - 1]) then return false end end
  return true
end
local function build(n, f) local t = {} for i = 1, n do t[i] = f(i, n) end return t end
local shapes = {
  sorted = function(i) return i end,
  reversed = function(i, n) return n - i end,
  organ = function(i, n) return i <= n / 2 and i or n - i end,
  dups = function(i) return i % 5 end,
  zigzag = function(i) return (i % 2 == 0) and i or -i end,
  mod = function(i) return (i * 7919) % 1013 end,
}
local names = {"sorted", "reversed", "organ", "dups", "zigzag", "mod"}
for _, name in ipairs(names) do
  for _, n in ipairs({0, 1, 2, 3, 4, 5, 10, 100, 1000}) do
    local t = build(n, shapes[name])
    local calls = 0
    table.sort(t, function(a, b) calls = calls + 1; return a < b end)
    local u = build(n, shapes[name])
    table.sort(u)
    print(name, n, check(t), check(u), calls, t[1], t[n])
  end
end
local strs = build(500, function(i) return tostring((i * 31) % 97) end)
table.sort(strs)
print(check(strs), strs[1], strs[500])
local floats = build(300, function(i) return math.sin(i) end)
table.sort(floats, function(a, b) return a > b end)
print(check(floats, function(a, b) return a > b end), floats[1], floats[300])
