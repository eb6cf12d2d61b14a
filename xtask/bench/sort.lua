-- table.sort: numbers (default order), strings, and a Lua comparator on records.
local seed = 42
local function rand(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
end
local checksum = 0
for round = 1, 15 do
  local nums = {}
  for i = 1, 30000 do nums[i] = rand(1000000) end
  table.sort(nums)
  local strs = {}
  for i = 1, 10000 do strs[i] = "s" .. rand(100000) end
  table.sort(strs)
  local recs = {}
  for i = 1, 10000 do recs[i] = {key = rand(1000), id = i} end
  table.sort(recs, function(a, b)
    if a.key ~= b.key then return a.key < b.key end
    return a.id < b.id
  end)
  checksum = checksum + nums[1] + nums[30000] + #strs[1] + recs[1].id + recs[10000].id
end
print(checksum)
