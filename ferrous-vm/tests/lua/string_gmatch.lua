-- string.gmatch: words, captures, anchors, empty matches, position captures
local buf = {}
local function w(...) for i = 1, select("#", ...) do buf[#buf + 1] = tostring((select(i, ...))) end end
local function flush() print(table.concat(buf)); buf = {} end
for w in string.gmatch("one two  three", "%a+") do w(w, "|") end flush()
for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do w(k, ":", v, " ") end flush()
for w in string.gmatch("abc", "") do w("[", w, "]") end flush()
for p in string.gmatch("abc", "()") do w(p, " ") end flush()
for w in string.gmatch("abc", "x*") do w("[", w, "]") end flush()
for w in string.gmatch("hello", "^h") do w("<", w, ">") end flush()
for w in string.gmatch("^h^h", "^h") do w("<", w, ">") end flush()
for a, b in string.gmatch("abcd", "(.)(.)") do w(a, b, ";") end flush()
for p, w in string.gmatch("one two", "()(%a+)") do w(p, w, ";") end flush()
for n in string.gmatch("1, 22, 333", "%d+") do w(n * 2, " ") end flush()
for w in string.gmatch("a\0b\0c", "[^%z]+") do w(w, ".") end flush()
for w in string.gmatch(12321, "2") do w(w) end flush()
for w in ("x y z"):gmatch("%S") do w(w) end flush()
local it = string.gmatch("a b c", "%a")
print(it(), it(), it(), it(), it())
local it2 = string.gmatch("ab", "(a)(b)")
print(it2())
print(it2())
print(type(it))
local count = 0
for _ in string.gmatch(string.rep("ab", 1000), "ab") do count = count + 1 end
print(count)
for k in string.gmatch("aaa", "a-") do w("[", k, "]") end flush()
for k in string.gmatch("aaa", "a?") do w("[", k, "]") end flush()
for w in string.gmatch("The (quick) (brown) fox", "%((%a+)%)") do w(w, " ") end flush()
for a in string.gmatch("abc", ".", 2) do w(a) end flush()
print(pcall(string.gmatch))
print(pcall(string.gmatch, "x"))
print(pcall(string.gmatch, {}, "x"))
local bad = string.gmatch("x", "(")
print(pcall(bad))
local bad2 = string.gmatch("abc", "%")
print(pcall(bad2))
print(pcall(function() for _ in ("x"):gmatch("[") do end end))
for w in string.gmatch("x", "%1") do end
