-- every pattern error message, through find, match, gmatch and gsub
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

local bad = {"%", "a%", "(", "((a)", ")", "a)", "[", "[a", "[^", "[a-", "[%", "%b", "%ba", "%f", "%fa", "%f[", "%1", "(a)%2", "(a%1)", "%0", "(()%1)", "[]", "[^]"}
for _, p in ipairs(bad) do
  print(show(p), pcall(string.find, "abc", p))
  print(show(p), pcall(string.match, "abc", p))
  print(show(p), pcall(function() for _ in string.gmatch("abc", p) do end end))
  print(show(p), pcall(string.gsub, "abc", p, "x"))
end
print(pcall(string.gsub, "abc", "a", "%2"))
print(pcall(string.gsub, "abc", "(a)", "%2"))
print(pcall(string.gsub, "abc", "()", "%2"))
print(pcall(string.find, "abc", "%"))
print(pcall(string.find, "abc", "%", 1, true))
print(pcall(string.find, "", "%"))
print(pcall(string.find, "", "["))
print(pcall(string.find, "abc", "x%"))
print(pcall(string.find, "xyz", "x%"))
string.find("abc", "(()")

