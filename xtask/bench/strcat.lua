-- Strings: building with `..` in a loop (repeated re-copying), and with table.concat.
local total = 0
for round = 1, 600 do
  local s = ""
  for i = 1, 400 do
    s = s .. i .. ","
  end
  total = total + #s
  local parts = {}
  for i = 1, 400 do
    parts[#parts + 1] = "<" .. i .. ">"
  end
  local joined = table.concat(parts)
  total = total + #joined + #table.concat(parts, ", ", 10, 200)
  local line = ""
  for i = 1, 50 do line = line .. string.sub(joined, i, i + 3) end
  total = total + #line + string.byte(line, #line)
end
print(string.format("%d", total))
