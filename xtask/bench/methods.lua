-- Method calls through metatables (__index class tables).
local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end
function Point:add(o) return Point.new(self.x + o.x, self.y + o.y) end
function Point:norm1() return self.x + self.y end
local acc = Point.new(0, 0)
local one = Point.new(1, 2)
local s = 0
for i = 1, 1500000 do
  acc = acc:add(one)
  s = s + acc:norm1()
end
print(s)
