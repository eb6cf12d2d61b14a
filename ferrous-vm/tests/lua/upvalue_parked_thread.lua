-- A coroutine body reading and writing locals of the function that created it, open on the
-- resumer's stack while the resumer waits (parked, or back in its heap object after a
-- collection or another thread's switch): every access must find them where they live, and
-- see them closed once their function returns. (Written for a cache of those places that was
-- measured and not kept, see ARCHITECTURE; both of its invalidations fail this script.)

-- A generator over its creator's locals, read and written from both sides.
local function run()
  local yield = coroutine.yield
  local count, step, log = 0, 2, {}
  local gen = coroutine.wrap(function()
    while true do
      count = count + step
      log[#log + 1] = count
      yield(count)
    end
  end)
  for i = 1, 4 do
    local got = gen()
    step = step + i
    print("gen", got, count, step)
  end
  count = 100
  print("after", gen(), count, table.concat(log, ","))
end
run()

-- Two coroutines resumed in turn (each switch parks another thread), and a nested one: the
-- inner coroutine reads the outer coroutine's locals (parked) and the main chunk's (in the
-- heap while the outer one runs).
local shared = 0
local a = coroutine.create(function()
  local mine = "a"
  local inner = coroutine.wrap(function()
    for _ = 1, 3 do
      shared = shared + 1
      mine = mine .. "+"
      coroutine.yield(mine, shared)
    end
  end)
  for _ = 1, 3 do
    local m, s = inner()
    coroutine.yield("a:" .. m .. ":" .. s)
  end
  return "a done", mine
end)
local b = coroutine.create(function()
  for i = 1, 4 do
    shared = shared + 10
    coroutine.yield("b:" .. shared)
  end
end)
for _ = 1, 4 do
  print(coroutine.resume(a))
  print(coroutine.resume(b))
end

-- A collection while the coroutine runs puts the parked state back in its heap object.
local function with_gc()
  local t, n = {}, 0
  local co = coroutine.wrap(function()
    for i = 1, 3 do
      n = n + i
      t[i] = n
      collectgarbage()
      n = n * 2
      coroutine.yield(n)
    end
  end)
  print("gc", co(), co(), co(), n, t[1], t[2], t[3])
end
with_gc()

-- A failed resume of a dead coroutine from inside another one (through `wrap`, which takes
-- the dead one's state and parks it again) changes the parked thread, with or without a
-- collection first (which unparks the resumer).
local function dead_resume(collect)
  local v, w = "v0", {}
  local dead = coroutine.create(function() end)
  coroutine.resume(dead)
  local dead_wrap = coroutine.wrap(function() end)
  dead_wrap()
  local co = coroutine.wrap(function()
    v = "v1"
    w[1] = v
    print("resume dead", coroutine.resume(dead))
    if collect then collectgarbage() end
    print("call dead", pcall(dead_wrap))
    v = v .. "!"
    w[2] = v
    coroutine.yield(v)
    v = "v2"
  end)
  print("dead", co(), v, w[1], w[2])
  co()
  print("dead", v)
end
dead_resume(false)
dead_resume(true)

-- The creator returns while the coroutine is suspended: the locals are closed, and the
-- coroutine sees the closed values from then on.
local gen2
local function maker()
  local x = 1
  gen2 = coroutine.wrap(function()
    while true do
      x = x * 3
      coroutine.yield(x)
    end
  end)
  print("maker", gen2(), x)
  x = 5
end
maker()
print("closed", gen2(), gen2())
