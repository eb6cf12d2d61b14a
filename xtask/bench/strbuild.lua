-- Strings: building with table.concat, string.format, rep, sub, upper/lower, byte/char.
local total = 0
for round = 1, 300 do
  local parts = {}
  for i = 1, 2000 do
    parts[#parts + 1] = string.format("%05d:%s:%.2f", i, ("k" .. i):upper(), i / 7)
  end
  local s = table.concat(parts, ",")
  total = total + #s
  local r = string.rep("ab", 500) .. s:sub(1, 100):lower()
  total = total + #r + r:byte(-1)
  local chars = {}
  for i = 1, 200 do chars[i] = string.char(65 + i % 26) end
  total = total + #table.concat(chars):reverse()
end
print(total)
