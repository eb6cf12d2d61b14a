-- Strings: concatenation and interning of many short strings.
local n = 0
for i = 1, 600000 do
  local s = "item" .. i .. ":" .. (i * 2)
  if s ~= "" then n = n + 1 end
end
local parts = ""
for i = 1, 3000 do parts = parts .. "x" end
print(n, #parts)
