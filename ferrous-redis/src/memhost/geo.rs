//! Geo commands that need no area search: `GEOADD` (`NX`, `XX`, `CH`), `GEOPOS`, `GEODIST`,
//! `GEOHASH`, following `geo.c` and `geohash.c`: points are sorted-set members scored by a
//! 52-bit interleaved geohash (area searches are in `geosearch`). FIXME: RESP3 `GEOPOS` sends
//! doubles, which Redis prints as `%.17Lf` text.

use super::Exec;
use super::args::{CmdResult, SYNTAX, err, float_arg, is_kw, wrongtype};
use super::keyspace::Value;
use super::longdouble;
use super::zsets::zadd;
use crate::reply::Reply;

pub(crate) const LONG_MIN: f64 = -180.0;
pub(crate) const LONG_MAX: f64 = 180.0;
pub(crate) const LAT_MIN: f64 = -85.051_128_78;
pub(crate) const LAT_MAX: f64 = 85.051_128_78;
pub(crate) const STEP: u32 = 26;
pub(crate) const EARTH_RADIUS: f64 = 6_372_797.560_856;

fn spread(value: u32) -> u64 {
    let mut x = u64::from(value);
    x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    (x | (x << 1)) & 0x5555_5555_5555_5555
}

fn squeeze(value: u64) -> u32 {
    let mut x = value & 0x5555_5555_5555_5555;
    x = (x | (x >> 1)) & 0x3333_3333_3333_3333;
    x = (x | (x >> 2)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x >> 4)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF;
    ((x | (x >> 16)) & 0xFFFF_FFFF) as u32
}

/// `geohashEncode`: latitude bits even, longitude bits odd, `step` bits each.
pub(crate) fn encode(long: f64, lat: f64, lat_min: f64, lat_max: f64, step: u32) -> u64 {
    let scale = (1u64 << step) as f64;
    let lat_offset = (lat - lat_min) / (lat_max - lat_min) * scale;
    let long_offset = (long - LONG_MIN) / (LONG_MAX - LONG_MIN) * scale;
    spread(lat_offset as u32) | (spread(long_offset as u32) << 1)
}

/// A geohash cell (`GeoHashArea`).
#[derive(Clone, Copy)]
pub(crate) struct Area {
    pub(crate) long_min: f64,
    pub(crate) long_max: f64,
    pub(crate) lat_min: f64,
    pub(crate) lat_max: f64,
}

/// `geohashDecode` with the WGS84 ranges.
pub(crate) fn decode_area(bits: u64, step: u32) -> Area {
    let (ilat, ilong) = (squeeze(bits), squeeze(bits >> 1));
    let scale = (1u64 << step) as f64;
    let (lat_span, long_span) = (LAT_MAX - LAT_MIN, LONG_MAX - LONG_MIN);
    Area {
        lat_min: LAT_MIN + (f64::from(ilat) * 1.0 / scale) * lat_span,
        lat_max: LAT_MIN + ((f64::from(ilat) + 1.0) * 1.0 / scale) * lat_span,
        long_min: LONG_MIN + (f64::from(ilong) * 1.0 / scale) * long_span,
        long_max: LONG_MIN + ((f64::from(ilong) + 1.0) * 1.0 / scale) * long_span,
    }
}

/// `decodeGeohash`: the centre of a score's cell, clamped to the valid area.
pub(crate) fn decode(score: f64) -> (f64, f64) {
    let bits = if score < 0.0 {
        score as i64 as u64
    } else {
        score as u64
    };
    let area = decode_area(bits, STEP);
    let long = ((area.long_min + area.long_max) / 2.0).clamp(LONG_MIN, LONG_MAX);
    let lat = ((area.lat_min + area.lat_max) / 2.0).clamp(LAT_MIN, LAT_MAX);
    (long, lat)
}

/// `geohashGetDistance`, in metres.
pub(crate) fn distance(long1: f64, lat1: f64, long2: f64, lat2: f64) -> f64 {
    let rad = |deg: f64| deg * (std::f64::consts::PI / 180.0);
    let v = ((rad(long2) - rad(long1)) / 2.0).sin();
    if v == 0.0 {
        return EARTH_RADIUS * (rad(lat2) - rad(lat1)).abs();
    }
    let (lat1, lat2) = (rad(lat1), rad(lat2));
    let u = ((lat2 - lat1) / 2.0).sin();
    let a = u * u + lat1.cos() * lat2.cos() * v * v;
    2.0 * EARTH_RADIUS * a.sqrt().asin()
}

/// `fixedpoint_d2string(.., 4)`: four decimals, rounded half to even by `llrint`.
pub(crate) fn fixed4(value: f64) -> Vec<u8> {
    if value == 0.0 {
        return b"0.0000".to_vec();
    }
    let scaled = (value * 10_000.0).round_ties_even() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let magnitude = scaled.unsigned_abs();
    format!("{sign}{}.{:04}", magnitude / 10_000, magnitude % 10_000).into_bytes()
}

/// A double as `addReplyHumanLongDouble` prints it in RESP2.
pub(crate) fn human(value: f64) -> Reply {
    Reply::Bulk(longdouble::to_human(longdouble::from_f64(value)))
}

/// `extractLongLatOrReply`.
pub(crate) fn long_lat(long: &[u8], lat: &[u8]) -> Result<(f64, f64), Reply> {
    let long = float_arg(long)?;
    let lat = float_arg(lat)?;
    if !(LONG_MIN..=LONG_MAX).contains(&long) || !(LAT_MIN..=LAT_MAX).contains(&lat) {
        return Err(err(&format!(
            "ERR invalid longitude,latitude pair {long:.6},{lat:.6}"
        )));
    }
    Ok((long, lat))
}

/// `extractUnitOrReply`: metres per unit.
pub(crate) fn unit(name: &[u8]) -> Result<f64, Reply> {
    if is_kw(name, "m") {
        Ok(1.0)
    } else if is_kw(name, "km") {
        Ok(1000.0)
    } else if is_kw(name, "ft") {
        Ok(0.3048)
    } else if is_kw(name, "mi") {
        Ok(1609.34)
    } else {
        Err(err(
            "ERR unsupported unit provided. please use M, KM, FT, MI",
        ))
    }
}

/// `GEOADD key [NX|XX] [CH] longitude latitude member...`, run as the `ZADD` it becomes.
pub(crate) fn geoadd(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let (mut nx, mut xx, mut first) = (false, false, 2);
    while let Some(opt) = args.get(first) {
        if is_kw(opt, "nx") {
            nx = true;
        } else if is_kw(opt, "xx") {
            xx = true;
        } else if !is_kw(opt, "ch") {
            break;
        }
        first += 1;
    }
    let triples = &args[first..];
    if triples.len() % 3 != 0 || (xx && nx) {
        return Err(err(SYNTAX));
    }
    let mut zadd_args: Vec<Vec<u8>> = args[..first].to_vec();
    zadd_args[0] = b"zadd".to_vec();
    for triple in triples.chunks(3) {
        let (long, lat) = long_lat(&triple[0], &triple[1])?;
        zadd_args.push(
            encode(long, lat, LAT_MIN, LAT_MAX, STEP)
                .to_string()
                .into_bytes(),
        );
        zadd_args.push(triple[2].clone());
    }
    zadd(x, &zadd_args)
}

fn scores(x: &mut Exec<'_>, key: &[u8], members: &[Vec<u8>]) -> Result<Vec<Option<f64>>, Reply> {
    match x.get(key) {
        None => Ok(vec![None; members.len()]),
        Some(Value::ZSet(zset)) => Ok(members.iter().map(|m| zset.score(m)).collect()),
        Some(_) => Err(wrongtype()),
    }
}

/// `GEOPOS key member...`.
pub(crate) fn geopos(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let resp = x.resp;
    let found = scores(x, &args[1], &args[2..])?;
    Ok(Reply::Array(
        found
            .into_iter()
            .map(|score| match score {
                None => Reply::NilArray,
                Some(score) => {
                    let (long, lat) = decode(score);
                    if resp >= 3 {
                        Reply::Array(vec![Reply::Double(long), Reply::Double(lat)])
                    } else {
                        Reply::Array(vec![human(long), human(lat)])
                    }
                }
            })
            .collect(),
    ))
}

/// `GEODIST key member1 member2 [M|KM|FT|MI]`.
pub(crate) fn geodist(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let to_meter = match args.get(4) {
        None => 1.0,
        Some(_) if args.len() > 5 => return Err(err(SYNTAX)),
        Some(name) => unit(name)?,
    };
    let found = scores(x, &args[1], &args[2..4])?;
    let (Some(Some(a)), Some(Some(b))) = (found.first(), found.get(1)) else {
        return Ok(Reply::Nil);
    };
    let ((long1, lat1), (long2, lat2)) = (decode(*a), decode(*b));
    Ok(Reply::Bulk(fixed4(
        distance(long1, lat1, long2, lat2) / to_meter,
    )))
}

/// `GEOHASH key member...`: standard 11-character geohashes.
pub(crate) fn geohash(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let found = scores(x, &args[1], &args[2..])?;
    Ok(Reply::Array(
        found
            .into_iter()
            .map(|score| match score {
                None => Reply::Nil,
                Some(score) => {
                    let (long, lat) = decode(score);
                    let bits = encode(long, lat, -90.0, 90.0, STEP);
                    let text = (0..11)
                        .map(|i| {
                            let idx = if i == 10 {
                                0
                            } else {
                                (bits >> (52 - (i + 1) * 5)) & 0x1f
                            };
                            ALPHABET[idx as usize]
                        })
                        .collect();
                    Reply::Bulk(text)
                }
            })
            .collect(),
    ))
}
