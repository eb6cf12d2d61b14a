//! Geo area searches: `GEOSEARCH`, `GEOSEARCHSTORE`, `GEORADIUS`, `GEORADIUSBYMEMBER` and their
//! `_RO` forms, following `georadiusGeneric`: the centre cell and its eight neighbours at a step
//! chosen from the radius (`geohashCalculateAreasByShapeWGS84`), each scanned in score order,
//! then filtered by distance or box, then sorted by distance when asked. FIXME: points at the
//! same distance keep their scan order, where Redis's `qsort` may swap them.

use super::Exec;
use super::args::{CmdResult, SYNTAX, err, int_arg, is_kw, parse_f64, wrongtype};
use super::geo::{
    Area, EARTH_RADIUS, LAT_MAX, LAT_MIN, decode, decode_area, distance, encode, fixed4, human,
    long_lat, unit,
};
use super::keyspace::Value;
use super::zset::{ScoreBound, ZSet};
use crate::reply::Reply;

/// The search area (`GeoShape`).
#[derive(Clone, Copy)]
enum Shape {
    Radius(f64),
    Box { width: f64, height: f64 },
}

/// How the command variant was called.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// `GEORADIUS key lon lat radius unit`.
    RadiusCoords,
    /// `GEORADIUSBYMEMBER key member radius unit`.
    RadiusMember,
    /// `GEOSEARCH key ...`.
    Search,
    /// `GEOSEARCHSTORE dest key ...`.
    SearchStore,
}

/// One point found.
struct Point {
    member: Vec<u8>,
    score: f64,
    long: f64,
    lat: f64,
    dist: f64,
}

const MERCATOR_MAX: f64 = 20_037_726.37;

fn rad(deg: f64) -> f64 {
    deg * (std::f64::consts::PI / 180.0)
}

fn deg(rad: f64) -> f64 {
    rad / (std::f64::consts::PI / 180.0)
}

/// `geohashEstimateStepsByRadius`.
fn estimate_steps(mut range: f64, lat: f64) -> u32 {
    if range == 0.0 {
        return 26;
    }
    let mut step: i32 = 1;
    while range < MERCATOR_MAX {
        range *= 2.0;
        step += 1;
    }
    step -= 2;
    if !(-66.0..=66.0).contains(&lat) {
        step -= 1;
        if !(-80.0..=80.0).contains(&lat) {
            step -= 1;
        }
    }
    step.clamp(1, 26) as u32
}

fn move_x(bits: u64, step: u32, d: i8) -> u64 {
    let x = bits & 0xaaaa_aaaa_aaaa_aaaa;
    let y = bits & 0x5555_5555_5555_5555;
    let zz = 0x5555_5555_5555_5555u64 >> (64 - step * 2);
    let x = if d > 0 {
        x.wrapping_add(zz + 1)
    } else {
        (x | zz).wrapping_sub(zz + 1)
    };
    (x & (0xaaaa_aaaa_aaaa_aaaau64 >> (64 - step * 2))) | y
}

fn move_y(bits: u64, step: u32, d: i8) -> u64 {
    let x = bits & 0xaaaa_aaaa_aaaa_aaaa;
    let y = bits & 0x5555_5555_5555_5555;
    let zz = 0xaaaa_aaaa_aaaa_aaaau64 >> (64 - step * 2);
    let y = if d > 0 {
        y.wrapping_add(zz + 1)
    } else {
        (y | zz).wrapping_sub(zz + 1)
    };
    x | (y & (0x5555_5555_5555_5555u64 >> (64 - step * 2)))
}

/// The nine cells to scan, in Redis's order (centre, N, S, E, W, NE, NW, SE, SW); `None` for
/// a neighbour left out.
fn cells(long: f64, lat: f64, shape: Shape, conversion: f64) -> (Vec<Option<u64>>, u32) {
    let (half_h, half_w) = match shape {
        Shape::Radius(r) => (r * conversion, r * conversion),
        Shape::Box { width, height } => (conversion * (height / 2.0), conversion * (width / 2.0)),
    };
    let lat_delta = deg(half_h / EARTH_RADIUS);
    let long_delta_top = deg(half_w / EARTH_RADIUS / rad(lat + lat_delta).cos());
    let long_delta_bottom = deg(half_w / EARTH_RADIUS / rad(lat - lat_delta).cos());
    let long_delta = if lat < 0.0 {
        long_delta_bottom
    } else {
        long_delta_top
    };
    let (min_lon, max_lon) = (long - long_delta, long + long_delta);
    let (min_lat, max_lat) = (lat - lat_delta, lat + lat_delta);
    let radius = match shape {
        Shape::Radius(r) => r,
        Shape::Box { width, height } => {
            ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt()
        }
    } * conversion;
    let mut step = estimate_steps(radius, lat);
    let neighbours = |bits: u64, step: u32| -> [u64; 8] {
        // North, south, east, west, north-east, north-west, south-east, south-west.
        [
            move_y(bits, step, 1),
            move_y(bits, step, -1),
            move_x(bits, step, 1),
            move_x(bits, step, -1),
            move_y(move_x(bits, step, 1), step, 1),
            move_y(move_x(bits, step, -1), step, 1),
            move_y(move_x(bits, step, 1), step, -1),
            move_y(move_x(bits, step, -1), step, -1),
        ]
    };
    let mut bits = encode(long, lat, LAT_MIN, LAT_MAX, step);
    let mut around = neighbours(bits, step);
    let (north, south) = (decode_area(around[0], step), decode_area(around[1], step));
    let (east, west) = (decode_area(around[2], step), decode_area(around[3], step));
    let decrease = north.lat_max < max_lat
        || south.lat_min > min_lat
        || east.long_max < max_lon
        || west.long_min > min_lon;
    if step > 1 && decrease {
        step -= 1;
        bits = encode(long, lat, LAT_MIN, LAT_MAX, step);
        around = neighbours(bits, step);
    }
    let area: Area = decode_area(bits, step);
    let mut keep = [true; 8];
    if step >= 2 {
        if area.lat_min < min_lat {
            for idx in [1, 7, 6] {
                keep[idx] = false;
            }
        }
        if area.lat_max > max_lat {
            for idx in [0, 4, 5] {
                keep[idx] = false;
            }
        }
        if area.long_min < min_lon {
            for idx in [3, 7, 5] {
                keep[idx] = false;
            }
        }
        if area.long_max > max_lon {
            for idx in [2, 6, 4] {
                keep[idx] = false;
            }
        }
    }
    let mut all = vec![Some(bits)];
    all.extend(around.iter().zip(keep).map(|(&b, k)| k.then_some(b)));
    (all, step)
}

/// `geoWithinShape`: the point's coordinates and distance when inside.
fn within(
    center: (f64, f64),
    shape: Shape,
    conversion: f64,
    score: f64,
) -> Option<(f64, f64, f64)> {
    let (long, lat) = decode(score);
    let dist = distance(center.0, center.1, long, lat);
    match shape {
        Shape::Radius(r) => (dist <= r * conversion).then_some((long, lat, dist)),
        Shape::Box { width, height } => {
            let lat_distance = EARTH_RADIUS * (rad(center.1) - rad(lat)).abs();
            if lat_distance > height * conversion / 2.0 {
                return None;
            }
            let long_distance = distance(long, lat, center.0, lat);
            (long_distance <= width * conversion / 2.0).then_some((long, lat, dist))
        }
    }
}

/// `membersOfAllNeighbors`.
fn scan(
    zset: &ZSet,
    center: (f64, f64),
    shape: Shape,
    conversion: f64,
    limit: usize,
) -> Vec<Point> {
    let (cells, step) = cells(center.0, center.1, shape, conversion);
    let mut found: Vec<Point> = Vec::new();
    let mut last_processed = 0usize;
    for (idx, cell) in cells.iter().enumerate() {
        let Some(bits) = *cell else {
            continue;
        };
        if last_processed != 0 && cells[last_processed] == Some(bits) {
            continue;
        }
        if !found.is_empty() && limit != 0 && found.len() >= limit {
            break;
        }
        let shift = 52 - step * 2;
        let min = (bits << shift) as f64;
        let max = ((bits + 1) << shift) as f64;
        let range = zset.range_by_score(
            ScoreBound {
                value: min,
                exclusive: false,
            },
            ScoreBound {
                value: max,
                exclusive: true,
            },
        );
        for (member, score) in range {
            if let Some((long, lat, dist)) = within(center, shape, conversion, score) {
                found.push(Point {
                    member: member.to_vec(),
                    score,
                    long,
                    lat,
                    dist,
                });
            }
            if !found.is_empty() && limit != 0 && found.len() >= limit {
                break;
            }
        }
        last_processed = idx;
    }
    found
}

/// `extractDistanceOrReply`: the radius and metres per unit.
fn radius_arg(value: &[u8], unit_arg: &[u8]) -> Result<(f64, f64), Reply> {
    let radius = parse_f64(value).ok_or_else(|| err("ERR need numeric radius"))?;
    if radius < 0.0 {
        return Err(err("ERR radius cannot be negative"));
    }
    Ok((radius, unit(unit_arg)?))
}

fn search(x: &mut Exec<'_>, args: &[Vec<u8>], variant: Variant, readonly: bool) -> CmdResult {
    let src_idx = if variant == Variant::SearchStore {
        2
    } else {
        1
    };
    let zset = match x.get(&args[src_idx]) {
        None => None,
        Some(Value::ZSet(zset)) => Some(zset.clone()),
        Some(_) => return Err(wrongtype()),
    };
    let member_center = |zset: &ZSet, member: &[u8]| {
        zset.score(member)
            .map(decode)
            .ok_or_else(|| err("ERR could not decode requested zset member"))
    };
    let (mut center, mut shape, mut conversion) = ((0.0, 0.0), Shape::Radius(0.0), 1.0);
    let mut store: Option<Vec<u8>> = None;
    let base = match variant {
        Variant::RadiusCoords => {
            center = long_lat(&args[2], &args[3])?;
            let (radius, to_meters) = radius_arg(&args[4], &args[5])?;
            (shape, conversion) = (Shape::Radius(radius), to_meters);
            6
        }
        Variant::RadiusMember => {
            if let Some(zset) = &zset {
                center = member_center(zset, &args[2])?;
                let (radius, to_meters) = radius_arg(&args[3], &args[4])?;
                (shape, conversion) = (Shape::Radius(radius), to_meters);
            }
            5
        }
        Variant::Search => 2,
        Variant::SearchStore => {
            store = Some(args[1].clone());
            3
        }
    };
    let geosearch = matches!(variant, Variant::Search | Variant::SearchStore);
    let (mut with_dist, mut with_hash, mut with_coord, mut any) = (false, false, false, false);
    let (mut from_member, mut from_loc, mut by_radius, mut by_box) = (false, false, false, false);
    let (mut sort, mut count, mut store_dist) = (0i8, 0i64, false);
    let rest = &args[base..];
    let mut i = 0;
    while i < rest.len() {
        let arg = &rest[i];
        let left = rest.len() - i - 1;
        if is_kw(arg, "withdist") {
            with_dist = true;
        } else if is_kw(arg, "withhash") {
            with_hash = true;
        } else if is_kw(arg, "withcoord") {
            with_coord = true;
        } else if is_kw(arg, "any") {
            any = true;
        } else if is_kw(arg, "asc") {
            sort = 1;
        } else if is_kw(arg, "desc") {
            sort = -1;
        } else if is_kw(arg, "count") && left >= 1 {
            count = int_arg(&rest[i + 1])?;
            if count <= 0 {
                return Err(err("ERR COUNT must be > 0"));
            }
            i += 1;
        } else if (is_kw(arg, "store") || is_kw(arg, "storedist"))
            && left >= 1
            && !readonly
            && !geosearch
        {
            store = Some(rest[i + 1].clone());
            store_dist = is_kw(arg, "storedist");
            i += 1;
        } else if is_kw(arg, "storedist") && variant == Variant::SearchStore {
            store_dist = true;
        } else if is_kw(arg, "frommember") && left >= 1 && geosearch && !from_loc {
            if let Some(zset) = &zset {
                center = member_center(zset, &rest[i + 1])?;
            }
            from_member = true;
            i += 1;
        } else if is_kw(arg, "fromlonlat") && left >= 2 && geosearch && !from_member {
            center = long_lat(&rest[i + 1], &rest[i + 2])?;
            from_loc = true;
            i += 2;
        } else if is_kw(arg, "byradius") && left >= 2 && geosearch && !by_box {
            let (radius, to_meters) = radius_arg(&rest[i + 1], &rest[i + 2])?;
            (shape, conversion) = (Shape::Radius(radius), to_meters);
            by_radius = true;
            i += 2;
        } else if is_kw(arg, "bybox") && left >= 3 && geosearch && !by_radius {
            let width = parse_f64(&rest[i + 1]).ok_or_else(|| err("ERR need numeric width"))?;
            let height = parse_f64(&rest[i + 2]).ok_or_else(|| err("ERR need numeric height"))?;
            if height < 0.0 || width < 0.0 {
                return Err(err("ERR height or width cannot be negative"));
            }
            conversion = unit(&rest[i + 3])?;
            shape = Shape::Box { width, height };
            by_box = true;
            i += 3;
        } else {
            return Err(err(SYNTAX));
        }
        i += 1;
    }
    if store.is_some() && (with_dist || with_hash || with_coord) {
        let what = if variant == Variant::SearchStore {
            "GEOSEARCHSTORE"
        } else {
            "STORE option in GEORADIUS"
        };
        return Err(err(&format!(
            "ERR {what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
        )));
    }
    let name = String::from_utf8_lossy(&args[0]).into_owned();
    if geosearch && !(from_member || from_loc) {
        return Err(err(&format!(
            "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {name}"
        )));
    }
    if geosearch && !(by_radius || by_box) {
        return Err(err(&format!(
            "ERR exactly one of BYRADIUS and BYBOX can be specified for {name}"
        )));
    }
    if any && count == 0 {
        return Err(err("ERR the ANY argument requires COUNT argument"));
    }
    let Some(zset) = zset else {
        return Ok(match store {
            Some(dest) => {
                x.db().remove(&dest);
                Reply::Integer(0)
            }
            None => Reply::Array(Vec::new()),
        });
    };
    if count != 0 && sort == 0 && !any {
        sort = 1;
    }
    let limit = if any {
        usize::try_from(count).unwrap_or(usize::MAX)
    } else {
        0
    };
    let mut found = scan(&zset, center, shape, conversion, limit);
    if sort != 0 {
        found.sort_by(|a, b| {
            let order = a
                .dist
                .partial_cmp(&b.dist)
                .unwrap_or(std::cmp::Ordering::Equal);
            if sort < 0 { order.reverse() } else { order }
        });
    }
    let returned = if count == 0 {
        found.len()
    } else {
        found
            .len()
            .min(usize::try_from(count).unwrap_or(usize::MAX))
    };
    found.truncate(returned);
    if let Some(dest) = store {
        let mut stored = ZSet::new();
        for point in &found {
            stored.insert(
                &point.member,
                if store_dist {
                    point.dist / conversion
                } else {
                    point.score
                },
            );
        }
        if stored.is_empty() {
            x.db().remove(&dest);
        } else {
            x.db().set(&dest, Value::ZSet(stored));
        }
        return Ok(Reply::Integer(returned as i64));
    }
    let with_options = with_dist || with_hash || with_coord;
    let resp = x.resp;
    let reply = found
        .into_iter()
        .map(|point| {
            if !with_options {
                return Reply::Bulk(point.member);
            }
            let mut entry = vec![Reply::Bulk(point.member)];
            if with_dist {
                entry.push(Reply::Bulk(fixed4(point.dist / conversion)));
            }
            if with_hash {
                entry.push(Reply::Integer(point.score as i64));
            }
            if with_coord {
                entry.push(Reply::Array(if resp >= 3 {
                    vec![Reply::Double(point.long), Reply::Double(point.lat)]
                } else {
                    vec![human(point.long), human(point.lat)]
                }));
            }
            Reply::Array(entry)
        })
        .collect();
    Ok(Reply::Array(reply))
}

/// `GEORADIUS key longitude latitude radius unit [options...]`.
pub(crate) fn georadius(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    search(x, args, Variant::RadiusCoords, false)
}

/// `GEORADIUS_RO`: `GEORADIUS` without `STORE`.
pub(crate) fn georadius_ro(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    search(x, args, Variant::RadiusCoords, true)
}

/// `GEORADIUSBYMEMBER key member radius unit [options...]`.
pub(crate) fn georadiusbymember(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    search(x, args, Variant::RadiusMember, false)
}

/// `GEORADIUSBYMEMBER_RO`.
pub(crate) fn georadiusbymember_ro(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    search(x, args, Variant::RadiusMember, true)
}

/// `GEOSEARCH key FROMMEMBER m|FROMLONLAT lon lat BYRADIUS r unit|BYBOX w h unit [options...]`.
pub(crate) fn geosearch(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    search(x, args, Variant::Search, true)
}

/// `GEOSEARCHSTORE destination source ... [STOREDIST]`.
pub(crate) fn geosearchstore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    search(x, args, Variant::SearchStore, false)
}
