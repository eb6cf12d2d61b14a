-- Patterns: gsub (string, table and function replacements), gmatch with captures, find.
local words = {}
for i = 1, 1000 do words[i] = "word" .. i .. " key" .. (i % 13) .. "=" .. (i * 7) end
local text = table.concat(words, " ")
local vars = {name = "ferrous", version = "5.1"}
local count, found = 0, 0
for round = 1, 200 do
  for k, v in text:gmatch("(%w+)=(%d+)") do count = count + #k + v % 3 end
  local s, n = text:gsub("(%a+)(%d+)", "%2%1")
  count = count + n + #s
  s, n = text:gsub("%d+", function(d) return d % 2 == 0 and "E" or nil end)
  count = count + n
  s, n = ("$name is $version; "):rep(200):gsub("%$(%w+)", vars)
  count = count + n
  local init = 1
  while true do
    local a, b = text:find("key1%d=", init)
    if not a then break end
    found = found + 1
    init = b + 1
  end
  found = found + select(2, text:gsub("%f[%w]%w+%f[%W]", ""))
  if text:find("word999 key11", 1, true) then found = found + 1 end
end
print(count, found)
