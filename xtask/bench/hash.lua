-- Tables, hash part: string keys built once, then read and written.
local keys = {}
for i = 1, 1000 do keys[i] = "key" .. i end
local t = {}
local s = 0
for round = 1, 3000 do
  for i = 1, #keys do
    local k = keys[i]
    t[k] = (t[k] or 0) + i
    s = s + t[k]
  end
end
print(s)
