-- len, lower, upper, reverse
print(string.len(""), string.len("abc"), string.len("\0\0"), ("x\0y"):len())
print(string.len(123), string.len(1.5), string.len(-0.0))
print(string.lower("HeLLo WoRLD 123 !@#"))
print(string.upper("HeLLo WoRLD 123 !@#"))
print(string.lower("\200\201ABC") == "\200\201abc")
print(string.upper("\0a\0b") == "\0A\0B")
print(string.upper(12), string.lower(1e300))
print(string.reverse("abc"), string.reverse(""), string.reverse("a"))
print(string.reverse("a\0b") == "b\0a")
print(string.reverse(123))
print(("Hello"):upper(), ("Hello"):lower(), ("Hello"):reverse(), ("Hello"):len())
local up = {}
for i = 0, 255 do
  local c = string.char(i)
  if c:upper() ~= c then up[#up + 1] = i end
end
print(#up, up[1], up[#up])
local low = {}
for i = 0, 255 do
  local c = string.char(i)
  if c:lower() ~= c then low[#low + 1] = i end
end
print(#low, low[1], low[#low])
print(pcall(string.len))
print(pcall(string.len, {}))
print(pcall(string.lower))
print(pcall(string.upper, nil))
print(pcall(string.reverse, true))
print(pcall(function() return string.len(nil) end))
print(pcall(function() return ("x"):upper(), string.upper() end))
print(#string.rep("ab", 1000):upper())
string.len()
