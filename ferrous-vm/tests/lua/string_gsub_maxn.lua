-- gsub's fourth argument (max replacements) and the returned count
local s = "a a a a a"
for _, n in ipairs({0, 1, 2, 4, 5, 6, 100, -1, -100, 0.5, 1.5, 2.99}) do
  print(n, string.gsub(s, "a", "b", n))
end
print(string.gsub(s, "a", "b", nil))
print(string.gsub(s, "a", "b", "3"))
print(string.gsub(s, "a", "b", " 2 "))
print(string.gsub(s, "", "-", 3))
print(string.gsub("", "", "-", 0))
print(string.gsub("abc", "%w", "%0%0", 2))
print(string.gsub("abc", "%w", string.upper, 1))
print(string.gsub("abc", "%w", {a = "A", b = "B"}, 2))
print(string.gsub("abc", "x", "y", 10))
print(string.gsub(s, "a", "b", 2^31))
print(string.gsub(s, "a", "b", 1e100))
print(string.gsub(s, "a", "b", -1/0))
print(string.gsub(s, "a", "b", 1/0))
print(pcall(string.gsub, s, "a", "b", "x"))
print(pcall(string.gsub, s, "a", "b", {}))
print(pcall(function() return s:gsub("a", "b", true) end))
local calls = 0
print(string.gsub("xxxxx", "x", function() calls = calls + 1; return "y" end, 3), calls)
string.gsub(s, "a", "b", {})
