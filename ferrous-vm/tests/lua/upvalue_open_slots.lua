-- The interpreter remembers the stack slot of an upvalue it found open on the running thread.
-- Closing it (a return, a block's end, a loop's next round) or switching threads must make
-- every later access see the variable where it now lives, not what occupies the old slot.

-- Read while open, then closed by the return of the frame that owned it; a new frame then
-- reuses the same stack slots with other values.
local keep
local function owner(v)
  local x = v
  keep = function(d) if d then x = x + d end; return x end
  local seen = keep() + keep(1)
  return seen
end
print(owner(10), keep(), keep(5))
local function clobber(a, b, c) return a, b, c end
print(clobber("p", "q", "r"), keep(), keep(-1))
print(owner(100), keep(), keep(2))

-- Closed at a block's end (OP_CLOSE) and at each round of a loop.
local fs = {}
for i = 1, 3 do
  local v = i
  fs[i] = function(d) v = v + (d or 0); return v end
  fs[i](10)
end
do
  local w = "open"
  local g = function(s) if s then w = s end; return w end
  print(g(), g("set"), g())
  fs.g = g
end
local filler1, filler2 = "f1", "f2"
print(fs[1](), fs[2](), fs[3](1), fs.g(), fs.g("later"), fs.g(), filler1, filler2)

-- One closure over a variable of a coroutine, called on that coroutine and on the main
-- thread in turn: the slot is the coroutine's, not the main thread's.
local reader
local co = coroutine.wrap(function()
  local mine = "co value"
  reader = function(s) if s then mine = s end; return mine end
  for _ = 1, 3 do
    coroutine.yield(reader())
  end
  return reader("co done")
end)
print(co())
local a, b, c, d, e = "m1", "m2", "m3", "m4", "m5"
print(reader(), reader("from main"), co(), reader(), a, b, c, d, e)
print(co(), co(), reader())

-- Recursion: each level's closure over its own open variable, read after deeper levels
-- returned (and closed theirs).
local function depth(k, acc)
  local n = k
  local f = function() return n end
  if k > 0 then
    local below = depth(k - 1, acc)
    acc[#acc + 1] = f() .. ":" .. below
    return f()
  end
  return f()
end
local acc = {}
print(depth(5, acc), table.concat(acc, " "))
