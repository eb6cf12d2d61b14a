-- character classes %a %c %d %l %p %s %u %w %x %z and their complements
local function show(...)
  local n = select('#', ...)
  local parts = {}
  for i = 1, n do
    local v = select(i, ...)
    parts[i] = type(v) == "string" and string.format("%q", v) or tostring(v)
  end
  return table.concat(parts, " ")
end
local function try(s, p, init)
  local ok, a = pcall(function() return show(string.find(s, p, init)) end)
  local ok2, b = pcall(function() return show(string.match(s, p, init)) end)
  local ok3, c = pcall(function() return show(string.gsub(s, p, "<%0>")) end)
  print(show(p), "find:", a, "match:", b, "gsub:", c)
end

local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
for _, cl in ipairs({"a", "c", "d", "l", "p", "s", "u", "w", "x", "z", "A", "C", "D", "L", "P", "S", "U", "W", "X", "Z"}) do
  local members = {}
  for i = 0, 255 do
    if string.find(string.char(i), "^%" .. cl .. "$") then members[#members + 1] = i end
  end
  print(cl, #members, members[1], members[#members], (string.gsub(all, "%" .. cl, "")):len())
end
try("hello World 42!", "%a+")
try("hello World 42!", "%u%l+")
try("hello World 42!", "%d%d")
try("hello World 42!", "%p")
try("tab\there", "%s")
try("x\1y", "%c")
try("0xFFg", "%x+")
try("a\0b", "%z")
try("a\0b", "%Z+")
try("abc", "%.")
try("a.c", "%.")
try("a%c", "%%")
try("a]c", "%]")
try("a-c", "%-")
try("abc", ".")
try("", ".")
try("\255\128", ".+")
try("hello", "%W")
try("a b", "%S+%s%S+")
try("abc", "%q")
try("abc", "%g")

