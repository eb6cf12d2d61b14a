-- gmatch iterators are independent, resumable and survive garbage collection
local it1 = ("a1b2c3"):gmatch("%a")
local it2 = ("a1b2c3"):gmatch("%d")
print(it1(), it2(), it1(), it2())
collectgarbage()
print(it1(), it2(), it1(), it2())
local it3 = string.gmatch("x", "x")
print(it3(), it3(), it3())
local nested = {}
for a in ("ab"):gmatch(".") do
  for b in ("xy"):gmatch(".") do nested[#nested + 1] = a .. b end
end
print(table.concat(nested, " "))
local co = coroutine.wrap(function()
  for w in ("one two three"):gmatch("%a+") do coroutine.yield(w) end
  return "done"
end)
print(co(), co(), co(), co())
local s = "k1=v1;k2=v2"
local t = {}
for k, v in s:gmatch("(%w+)=(%w+)") do t[k] = v end
print(t.k1, t.k2)
local subject = string.rep("ab", 3)
local g = subject:gmatch("()a")
print(g(), g(), g(), g())
print(pcall(string.gmatch("abc", "%b"), nil))
local iter = string.gmatch("a,b,,c", "([^,]*)")
local parts = {}
for p in iter do parts[#parts + 1] = "[" .. p .. "]" end
print(table.concat(parts))
