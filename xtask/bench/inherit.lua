-- OOP: a four-level class chain (setmetatable __index), methods found up the chain, super calls.
local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, parent) end
  return c
end

local Base = class()
function Base.new(x) return setmetatable({x = x, hits = 0}, Base) end
function Base:id() return self.x end
function Base:touch() self.hits = self.hits + 1; return self.hits end
function Base:weight() return 1 end

local Shape = class(Base)
function Shape.new(x, w) local o = Base.new(x); o.w = w; return setmetatable(o, Shape) end
function Shape:area() return self.w * self.w end
function Shape:weight() return Base.weight(self) + 1 end

local Rect = class(Shape)
function Rect.new(x, w, h) local o = Shape.new(x, w); o.h = h; return setmetatable(o, Rect) end
function Rect:area() return self.w * self.h end
function Rect:weight() return Shape.weight(self) + 1 end

local Square = class(Rect)
function Square.new(x, w) return setmetatable(Rect.new(x, w, w), Square) end
function Square:weight() return Rect.weight(self) + 1 end
function Square:describe() return self:id() + self:area() + self:weight() end

local objs = {}
for i = 1, 100 do
  local k = i % 4
  if k == 0 then objs[i] = Base.new(i)
  elseif k == 1 then objs[i] = Shape.new(i, i % 7)
  elseif k == 2 then objs[i] = Rect.new(i, i % 5, i % 3)
  else objs[i] = Square.new(i, i % 9) end
end

local total = 0
for round = 1, 10000 do
  for i = 1, #objs do
    local o = objs[i]
    total = total + o:id() + o:weight() + o:touch()
    if o.area then total = total + o:area() end
    if o.describe then total = total + o:describe() end
  end
end
print(string.format("%d", total))
