-- debug.getinfo: every option, levels counting tail calls, thread argument, errors
local function keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks)
  return table.concat(ks, " ")
end
local function show(t)
  if t == nil then return "nil" end
  local ks = {}
  for k, v in pairs(t) do
    if type(v) ~= "table" and type(v) ~= "function" then ks[#ks + 1] = k .. "=" .. tostring(v) end
  end
  table.sort(ks)
  return table.concat(ks, " ")
end
local function f(a, b)
  local info = debug.getinfo(1)
  print(keys(info))
  print(show(info))
  print(show(debug.getinfo(2, "Sl")))
  print(show(debug.getinfo(1, "n")), show(debug.getinfo(1, "u")))
  return info
end
f(1, 2)
print(show(debug.getinfo(print)))
print(show(debug.getinfo(f, "S")))
print(debug.getinfo(100))
print(pcall(debug.getinfo, {}))
print(pcall(debug.getinfo, 1, "x"))
print(pcall(debug.getinfo, print, "S>"))
local up1, up2 = 1, 2
local function g() return up1 + up2 end
print(debug.getinfo(g, "u").nups, debug.getinfo(print, "u").nups)
local lines = debug.getinfo(g, "L").activelines
print(keys(lines), debug.getinfo(print, "L").activelines)
print(debug.getinfo(g, "f").func == g)
-- tail calls are levels of their own
local function inner()
  print(show(debug.getinfo(2, "Sln")))
  print(debug.getinfo(2, "f").func)
  print(show(debug.getinfo(3, "S")))
end
local function mid() return inner() end
local function outer() mid() end
outer()
-- another thread
local co = coroutine.create(function(x)
  local y = x * 2
  coroutine.yield()
end)
coroutine.resume(co, 21)
print(show(debug.getinfo(co, 0, "Sn")))
print(show(debug.getinfo(co, 1, "Sl")))
print(debug.getlocal(co, 1, 1), debug.getlocal(co, 1, 2))
print(debug.getinfo(co, 2))
