-- Iteration: ipairs over arrays, pairs over arrays and hashes, next, numeric for over #t.
local arr = {}
for i = 1, 10000 do arr[i] = i % 97 end
local hash = {}
for i = 1, 5000 do hash["k" .. i] = i end
local mixed = {}
for i = 1, 2000 do mixed[i] = i; mixed["m" .. i] = i * 2 end

local total = 0
for _ = 1, 240 do
  for i, v in ipairs(arr) do total = total + i + v end
  for k, v in pairs(arr) do total = total + k - v end
  for _, v in pairs(hash) do total = total + v end
  for k, v in pairs(mixed) do
    if type(k) == "number" then total = total + v else total = total + #k end
  end
  local k, v = next(hash)
  local n = 0
  while k do n = n + 1; k, v = next(hash, k) end
  total = total + n
  for i = 1, #arr do total = total + arr[i] end
end
print(string.format("%d", total))
